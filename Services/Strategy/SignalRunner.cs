using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// Acts on one directional signal as one trace: a <see cref="StrategySpans.Signal"/> root started from the quote that
/// triggered it (venue, venue timestamp, age at decision, feed sequence; a link to the marketdata span that carried the
/// quote, <see cref="QuoteLinks"/>), its market order a child, awaited to its final state; tick-to-trade (quote timestamp
/// → the venue's first fill) and signal-to-fill as attributes and histograms.
/// </summary>
public sealed partial class SignalRunner(
    ServiceTelemetry telemetry,
    GatewayOrders gateway,
    StrategyMetrics metrics,
    IOptionsMonitor<StrategyOptions> options,
    ILogger<SignalRunner> logger)
{
    public const string StrategyName = "imbalance";

    public async Task RunAsync(DirectionalSignal signal, decimal quantity, CancellationToken cancellationToken)
    {
        var decided = DateTimeOffset.UtcNow;
        Activity.Current = null; // a signal roots its own trace
        using var span = telemetry.Source.StartActivity(StrategySpans.Signal, ActivityKind.Internal, parentContext: default,
            links: QuoteLinks.For(signal.Quote));
        var clientId = options.CurrentValue.Imbalance.ClientId;
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TradingAttributes.StrategyName, StrategyName);
            span.SetTag(TradingAttributes.ClientId, clientId);
            span.SetTag(TradingAttributes.Symbol, signal.Quote.Symbol);
            span.SetTag(TradingAttributes.Side, signal.Side == OrderSide.Buy ? "BUY" : "SELL");
            span.SetTag(TradingAttributes.Quantity, quantity);
            span.AddEvent(new ActivityEvent("imbalance", tags: new ActivityTagsCollection { ["value"] = signal.Imbalance }));
            QuoteAttributes.Tag(span, signal.Quote, decided);
        }

        var ticket = new OrderTicket(clientId, signal.Quote.Symbol, signal.Side, OrderType.Market, quantity);
        var result = await gateway.ExecuteAsync(span, ticket, cancellationToken);
        metrics.Signal(StrategyName, result.Status?.ToString() ?? result.Reason ?? "unknown");

        if (result.FirstFillAt is { } firstFill)
        {
            var tickToTrade = QuoteAttributes.Since(signal.Quote, firstFill);
            span?.SetTag(TradingAttributes.TickToTradeMs, Math.Round(tickToTrade.TotalMilliseconds, 3));
            metrics.TickToTrade(StrategyName, tickToTrade);
        }

        if (result.LastFillAt is { } lastFill)
        {
            var toFill = lastFill - decided;
            span?.SetTag(TradingAttributes.SignalToFillMs, Math.Round(toFill.TotalMilliseconds, 3));
            metrics.SignalToFill(StrategyName, toFill);
        }

        LogSignal(signal.Quote.Symbol, signal.Side, signal.Quote.Venue, result.Status?.ToString() ?? result.Reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imbalance signal {Side} {Symbol} on {Venue}'s quote: {Status}")]
    private partial void LogSignal(string symbol, OrderSide side, string venue, string? status);
}
