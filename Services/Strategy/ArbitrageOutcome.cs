using TradingAspire.Contracts;

namespace TradingAspire.Strategy;

/// <summary>
/// What an arbitrage came to once both legs were final: the outcome (<see cref="StrategySpans.Outcomes"/>), the net
/// exposure left (+ long, − short, in the symbol) that an unwind must flatten, and the realised edge from the fill
/// prices after fees (null unless both legs filled something).
/// </summary>
public sealed record ArbitrageOutcome(string Outcome, decimal NetExposure, double? RealisedEdgeBps, decimal? RealisedEdge)
{
    public bool NeedsUnwind => NetExposure != 0;

    /// <summary>Classifies two final legs. Pure: unit-tested directly.</summary>
    public static ArbitrageOutcome Of(LegResult buy, LegResult sell, double feesBps)
    {
        string outcome;
        if (buy.FullyFilled && sell.FullyFilled)
        {
            outcome = StrategySpans.Outcomes.BothFilled;
        }
        else if (buy.NothingFilled && sell.NothingFilled)
        {
            outcome = StrategySpans.Outcomes.BothFailed;
        }
        else if ((buy.NothingFilled && sell.FullyFilled) || (sell.NothingFilled && buy.FullyFilled))
        {
            outcome = StrategySpans.Outcomes.OneLegFailed;
        }
        else
        {
            outcome = StrategySpans.Outcomes.PartlyFilled;
        }

        double? edgeBps = null;
        decimal? edge = null;
        if (buy.AveragePrice is { } bought && sell.AveragePrice is { } sold && !buy.NothingFilled && !sell.NothingFilled)
        {
            var net = ArbitrageDetector.EdgeBps(bought, sold) - feesBps;
            var matched = Math.Min(buy.FilledQuantity, sell.FilledQuantity);
            edgeBps = Math.Round(net, 4);
            edge = Math.Round(ArbitrageDetector.EdgeCurrency(net, (bought + sold) / 2, matched), 6);
        }

        return new ArbitrageOutcome(outcome, buy.SignedFilled + sell.SignedFilled, edgeBps, edge);
    }
}
