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
    LastTradePrices prices,
    IOptionsMonitor<RiskOptions> options,
    ILogger<RiskCheckHandler> logger) : IStreamHandler<NewOrder>
{
    public async Task HandleAsync(StreamMessage<NewOrder> message, CancellationToken cancellationToken)
    {
        var order = message.Body;
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
            // Sent now, so that it travels in the same write as the position book's read.
            var lastPrice = prices.GetAsync(order.Symbol);
            decision = await positions.DecideAsync(order, async position =>
                RiskEvaluator.Evaluate(order, limits, settings.PriceCollarPercent, await lastPrice, position));

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
}

internal static partial class RiskLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} of {ClientId} rejected: {Reason} ({Detail})")]
    public static partial void Rejected(ILogger logger, string orderId, string clientId, string reason, string detail);
}
