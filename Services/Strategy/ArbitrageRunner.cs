using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// Takes one arbitrage opportunity as one trace: an <see cref="StrategySpans.Arbitrage"/> root (linked to the marketdata
/// spans that carried both venues' quotes, <see cref="QuoteLinks"/>), two
/// <see cref="StrategySpans.ArbitrageLeg"/> children sent concurrently (each the parent of its order's POST, so the
/// order's whole pipeline hangs under it), both awaited to their final state; then the outcome, realised edge and
/// latency on the root, and an <see cref="StrategySpans.ArbitrageUnwind"/> order for any exposure a leg left.
/// </summary>
public sealed partial class ArbitrageRunner(
    ServiceTelemetry telemetry,
    GatewayOrders gateway,
    StrategyMetrics metrics,
    IOptionsMonitor<StrategyOptions> options,
    ILogger<ArbitrageRunner> logger)
{
    public const string StrategyName = "arbitrage";

    public async Task RunAsync(ArbitrageOpportunity opportunity, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var detected = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        var id = Guid.NewGuid().ToString("N")[..16];
        Activity.Current = null; // an opportunity roots its own trace
        using var root = telemetry.Source.StartActivity(StrategySpans.Arbitrage, ActivityKind.Internal, parentContext: default,
            links: QuoteLinks.For(opportunity));
        if (root is { IsAllDataRequested: true })
        {
            root.SetTag(TradingAttributes.ArbitrageId, id);
            root.SetTag(TradingAttributes.StrategyName, StrategyName);
            root.SetTag(TradingAttributes.ClientId, settings.Arbitrage.ClientId);
            root.SetTag(TradingAttributes.Symbol, opportunity.Symbol);
            root.SetTag(TradingAttributes.Quantity, opportunity.Quantity);
            root.SetTag(TradingAttributes.ArbitrageExpectedEdgeBps, opportunity.ExpectedEdgeBps);
            root.SetTag(TradingAttributes.ArbitrageExpectedEdge, (double)opportunity.ExpectedEdge);
            // The newer of the two quotes is the one that made the opportunity appear.
            QuoteAttributes.Tag(root, opportunity.Buy.ReceivedMicros >= opportunity.Sell.ReceivedMicros ? opportunity.Buy : opportunity.Sell, detected);
        }

        var clientId = settings.Arbitrage.ClientId;
        var tif = settings.Arbitrage.TimeInForceSeconds;
        var tolerance = settings.Arbitrage.LimitToleranceBps ?? opportunity.ExpectedEdgeBps / 2;
        var buy = new OrderTicket(clientId, opportunity.Symbol, OrderSide.Buy, OrderType.Limit, opportunity.Quantity,
            LegLimits.Buy(opportunity.Buy.Ask, tolerance, opportunity.Symbol), tif);
        var sell = new OrderTicket(clientId, opportunity.Symbol, OrderSide.Sell, OrderType.Limit, opportunity.Quantity,
            LegLimits.Sell(opportunity.Sell.Bid, tolerance, opportunity.Symbol), tif);
        var parent = root?.Context ?? default;
        var buyLeg = Task.Run(() => LegAsync(parent, id, StrategySpans.Legs.Buy, buy, opportunity.Buy, detected, cancellationToken), cancellationToken);
        var sellLeg = Task.Run(() => LegAsync(parent, id, StrategySpans.Legs.Sell, sell, opportunity.Sell, detected, cancellationToken), cancellationToken);
        var legs = await Task.WhenAll(buyLeg, sellLeg);
        var (buyResult, buySentAt) = legs[0];
        var (sellResult, sellSentAt) = legs[1];

        var skew = Stopwatch.GetElapsedTime(Math.Min(buySentAt, sellSentAt), Math.Max(buySentAt, sellSentAt));
        metrics.LegSkew(skew);
        root?.SetTag(TradingAttributes.ArbitrageLegSkewMs, Math.Round(skew.TotalMilliseconds, 3));

        var outcome = ArbitrageOutcome.Of(buyResult, sellResult, opportunity.FeesBps);
        root?.SetTag(TradingAttributes.ArbitrageOutcome, outcome.Outcome);
        if (outcome.RealisedEdgeBps is { } realisedBps)
        {
            root?.SetTag(TradingAttributes.ArbitrageRealisedEdgeBps, realisedBps);
            root?.SetTag(TradingAttributes.ArbitrageRealisedEdge, (double)outcome.RealisedEdge!.Value);
        }

        if (new[] { buyResult.LastFillAt, sellResult.LastFillAt }.Max() is { } lastFill)
        {
            var toFill = lastFill - detected;
            root?.SetTag(TradingAttributes.SignalToFillMs, Math.Round(toFill.TotalMilliseconds, 3));
            metrics.SignalToFill(StrategyName, toFill);
        }

        if (outcome.NeedsUnwind)
        {
            await UnwindAsync(root, id, clientId, opportunity.Symbol, outcome, cancellationToken);
        }
        else if (outcome.Outcome != StrategySpans.Outcomes.BothFilled)
        {
            root.RecordError(outcome.Outcome, $"Neither leg filled (buy: {buyResult.Reason}, sell: {sellResult.Reason}).");
        }

        metrics.Arbitrage(outcome.Outcome, Stopwatch.GetElapsedTime(started), opportunity.ExpectedEdgeBps, outcome.RealisedEdgeBps);
        LogOutcome(id, opportunity.Symbol, outcome.Outcome, opportunity.ExpectedEdgeBps, outcome.RealisedEdgeBps);
    }

    private async Task<(LegResult Result, long SentAt)> LegAsync(
        ActivityContext parent, string id, string leg, OrderTicket ticket, BookQuote quote, DateTimeOffset detected, CancellationToken cancellationToken)
    {
        using var span = telemetry.Source.StartActivity(StrategySpans.ArbitrageLeg, ActivityKind.Internal, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TradingAttributes.ArbitrageId, id);
            span.SetTag(TradingAttributes.ArbitrageLeg, leg);
            span.SetTag(TradingAttributes.Venue, quote.Venue);
            span.SetTag(TradingAttributes.Side, ticket.Side == OrderSide.Buy ? "BUY" : "SELL");
            span.SetTag(TradingAttributes.Price, ticket.LimitPrice);
            QuoteAttributes.Tag(span, quote, detected);
        }

        var sentAt = Stopwatch.GetTimestamp();
        var result = await gateway.ExecuteAsync(span, ticket, cancellationToken);
        return (result, sentAt);
    }

    private async Task UnwindAsync(Activity? root, string id, string clientId, string symbol, ArbitrageOutcome outcome, CancellationToken cancellationToken)
    {
        var exposure = outcome.NetExposure;
        LogExposure(id, symbol, exposure, outcome.Outcome);
        root?.AddEvent(new ActivityEvent("exposure", tags: new ActivityTagsCollection
        {
            [TradingAttributes.Symbol] = symbol,
            [TradingAttributes.Quantity] = (double)exposure,
        }));

        var ticket = new OrderTicket(clientId, symbol, exposure > 0 ? OrderSide.Sell : OrderSide.Buy, OrderType.Market, Math.Abs(exposure));
        LegResult result;
        using (var span = telemetry.Source.StartActivity(StrategySpans.ArbitrageUnwind, ActivityKind.Internal, root?.Context ?? default))
        {
            span?.SetTag(TradingAttributes.ArbitrageId, id);
            span?.SetTag(TradingAttributes.ArbitrageLeg, StrategySpans.Legs.Unwind);
            span?.SetTag(TradingAttributes.Side, ticket.Side == OrderSide.Buy ? "BUY" : "SELL");
            result = await gateway.ExecuteAsync(span, ticket, cancellationToken);
        }

        if (!result.FullyFilled)
        {
            var left = exposure - (exposure > 0 ? result.FilledQuantity : -result.FilledQuantity);
            root.RecordError("unhedged_exposure", $"{left} {symbol} left unhedged after the unwind ({result.Status?.ToString() ?? result.Reason}).");
            LogUnhedged(id, symbol, left);
        }
        else
        {
            root.RecordError(outcome.Outcome, $"A leg did not fill; {Math.Abs(exposure)} {symbol} unwound.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Arbitrage {Id} on {Symbol}: {Outcome}, expected {ExpectedBps} bp, realised {RealisedBps} bp")]
    private partial void LogOutcome(string id, string symbol, string outcome, double expectedBps, double? realisedBps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Arbitrage {Id} left an exposure of {Exposure} {Symbol} ({Outcome}); unwinding it")]
    private partial void LogExposure(string id, string symbol, decimal exposure, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Arbitrage {Id}: {Left} {Symbol} left unhedged after the unwind")]
    private partial void LogUnhedged(string id, string symbol, decimal left);
}
