using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Risk;

/// <summary>
/// <c>orders.new</c> → <c>risk.check</c> → <c>orders.approved</c> or <c>orders.rejected</c>. A rejection
/// is still an outcome that travels on (to notification) in the same trace; the risk span is
/// marked Error with <c>trading.risk.reason</c>.
/// </summary>
public sealed class RiskCheckHandler(
    ServiceTelemetry telemetry,
    RiskMetrics metrics,
    PositionBook positions,
    ConsolidatedBook book,
    TimeProvider time,
    IOptionsMonitor<RiskOptions> options,
    ILogger<RiskCheckHandler> logger) : IStreamHandler<NewOrder>
{
    public async Task HandleAsync(StreamMessage<NewOrder> message, CancellationToken cancellationToken)
    {
        var order = message.Body;
        await WaitForBookAsync(cancellationToken);
        RiskDecision decision;
        using (var stage = telemetry.StartStage(Stages.Risk))
        {
            stage.SetTag(TradingAttributes.OrderId, order.OrderId)
                .SetTag(TradingAttributes.ClientId, order.ClientId)
                .SetTag(TradingAttributes.Symbol, order.Symbol)
                .SetTag(TradingAttributes.Side, stage.Recording ? order.Side.ToString().ToUpperInvariant() : null)
                .SetTag(TradingAttributes.Quantity, (double)order.Quantity);

            var settings = options.CurrentValue;
            var limits = settings.For(order.ClientId);
            // The price the feed delivered, from the book in memory: no I/O for it on the order's path.
            var quotes = book.Current.For(order.Symbol);
            var now = time.GetUtcNow();
            var reference = BookPricing.Reference(quotes, now, settings.MaxPriceAge);
            if (reference is { } used)
            {
                stage.SetTag(TradingAttributes.PriceAgeMs, Math.Round(used.Age.TotalMilliseconds, 3));
            }
            else
            {
                if (stage.Recording && BookPricing.NewestAge(quotes, now) is { } newest)
                {
                    stage.SetTag(TradingAttributes.PriceAgeMs, Math.Round(newest.TotalMilliseconds, 3));
                }

                // Venues list the symbol but none has a fresh price now (their feeds are down or stale): like execution
                // with venues that are away, wait for a price while the order's time in force lasts, then reject.
                if (quotes.Count > 0 && now < order.Expiry)
                {
                    stage.SetTag(TradingAttributes.RiskWaitingFor, "price");
                    stage.Activity?.AddEvent(new System.Diagnostics.ActivityEvent("price.wait"));
                    throw new TransientMessageException(
                        $"Order {order.OrderId}: no fresh price for {order.Symbol} from any venue; waiting for one until {order.Expiry:O}.");
                }
            }

            decision = await positions.DecideAsync(order, position =>
                Task.FromResult(RiskEvaluator.Evaluate(order, limits, settings.PriceCollarPercent, reference?.Price, position)));

            stage.SetTag(TradingAttributes.RiskDecision, decision.Approved ? "approved" : "rejected")
                .SetTag(TradingAttributes.ReferencePrice, (double)decision.ReferencePrice);
            if (!decision.Approved)
            {
                stage.SetTag(TradingAttributes.RiskReason, decision.Reason);
                stage.Fail("risk_rejected", decision.Detail ?? decision.Reason ?? "rejected");
            }

            order = order.WithTiming(Stages.Risk, stage.ElapsedMilliseconds);
        }

        metrics.Record(decision);
        if (decision.Approved)
        {
            message.Forward(Streams.OrdersApproved, new ApprovedOrder(order, decision.ReferencePrice));
        }
        else
        {
            RiskLog.Rejected(logger, order.OrderId, order.ClientId, decision.Reason!, decision.Detail!);
            message.Forward(Streams.OrdersRejected, new RejectedOrder(order, decision.Reason!, decision.Detail!));
        }
    }

    /// <summary>
    /// Right after a start the book is empty until the first load from Redis: that is not a missing price (which
    /// rejects the order) but not knowing yet, so the delivery is retried.
    /// </summary>
    private async Task WaitForBookAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 50 && book.Current.IsEmpty; i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        if (book.Current.IsEmpty)
        {
            throw new TransientMessageException("No market prices yet from the market-data service.");
        }
    }
}

internal static partial class RiskLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} of {ClientId} rejected: {Reason} ({Detail})")]
    public static partial void Rejected(ILogger logger, string orderId, string clientId, string reason, string detail);
}
