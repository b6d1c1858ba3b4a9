using TradingAspire.MarketPrices;

namespace TradingAspire.Strategy;

/// <summary>
/// A cross-venue opportunity: buy <see cref="Quantity"/> at <see cref="Buy"/>'s ask, sell it at <see cref="Sell"/>'s bid.
/// <see cref="GrossEdgeBps"/> is (bid − ask) / mid; <see cref="ExpectedEdgeBps"/> is that minus both venues' taker fees;
/// <see cref="ExpectedEdge"/> the same in quote currency for <see cref="Quantity"/>.
/// </summary>
public sealed record ArbitrageOpportunity(
    string Symbol,
    BookQuote Buy,
    BookQuote Sell,
    decimal Quantity,
    double GrossEdgeBps,
    double FeesBps,
    double ExpectedEdgeBps,
    decimal ExpectedEdge)
{
    public decimal Mid => (Sell.Bid + Buy.Ask) / 2;
}

/// <summary>
/// Finds the best cross-venue arbitrage of a symbol among usable quotes: the lowest ask and the highest bid on two
/// different venues, taken when the spread between them beats both taker fees plus a threshold. Pure: unit-tested.
/// </summary>
public static class ArbitrageDetector
{
    public static ArbitrageOpportunity? Find(
        IReadOnlyList<BookQuote> quotes,
        DateTimeOffset now,
        TimeSpan maxAge,
        Func<string, double> feeBps,
        double thresholdBps,
        decimal notional)
    {
        BookQuote? bestAsk = null, bestBid = null;
        foreach (var quote in quotes)
        {
            if (QuoteScreen.Reason(quote, now, maxAge) is not null)
            {
                continue;
            }

            if (bestAsk is null || quote.Ask < bestAsk.Ask)
            {
                bestAsk = quote;
            }

            if (bestBid is null || quote.Bid > bestBid.Bid)
            {
                bestBid = quote;
            }
        }

        if (bestAsk is null || bestBid is null || string.Equals(bestAsk.Venue, bestBid.Venue, StringComparison.OrdinalIgnoreCase)
            || bestBid.Bid <= bestAsk.Ask)
        {
            return null;
        }

        var gross = EdgeBps(bestAsk.Ask, bestBid.Bid);
        var fees = feeBps(bestAsk.Venue) + feeBps(bestBid.Venue);
        var net = gross - fees;
        if (net <= thresholdBps)
        {
            return null;
        }

        var quantity = Quantity(notional, bestAsk.Ask, Math.Min(bestAsk.AskSize, bestBid.BidSize));
        if (quantity <= 0)
        {
            return null;
        }

        var mid = (bestAsk.Ask + bestBid.Bid) / 2;
        return new ArbitrageOpportunity(bestAsk.Symbol, bestAsk, bestBid, quantity, Math.Round(gross, 4), fees, Math.Round(net, 4),
            Math.Round(EdgeCurrency(net, mid, quantity), 6));
    }

    /// <summary>(sell − buy) / mid in basis points.</summary>
    public static double EdgeBps(decimal buyPrice, decimal sellPrice) =>
        (double)((sellPrice - buyPrice) / ((sellPrice + buyPrice) / 2)) * 10_000;

    /// <summary>An edge in bp of <paramref name="mid"/>, in quote currency for <paramref name="quantity"/>.</summary>
    public static decimal EdgeCurrency(double edgeBps, decimal mid, decimal quantity) => (decimal)edgeBps / 10_000m * mid * quantity;

    /// <summary>
    /// <paramref name="notional"/> worth at <paramref name="price"/>, at most <paramref name="available"/> when it is known (&gt; 0),
    /// rounded down to 4 decimals for prices of 100 and more, to whole units below (as the order-flow generator sizes orders).
    /// </summary>
    public static decimal Quantity(decimal notional, decimal price, decimal available)
    {
        if (price <= 0)
        {
            return 0;
        }

        var quantity = notional / price;
        if (available > 0)
        {
            quantity = Math.Min(quantity, available);
        }

        return Math.Round(quantity, price >= 100 ? 4 : 0, MidpointRounding.ToZero);
    }
}
