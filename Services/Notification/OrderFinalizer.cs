using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Notification;

/// <summary>
/// <c>order.confirm</c> (the final outcome and its timings) → <c>order.notify</c>: one script records the
/// final state and pushes the notification together (<see cref="FinalOutcomeWriter"/>), so a crash
/// between the two cannot happen; a redelivered outcome finds the order final and pushes nothing twice.
/// </summary>
public sealed class OrderFinalizer(
    ServiceTelemetry telemetry,
    NotificationMetrics metrics,
    FinalOutcomeWriter writer,
    ILogger<OrderFinalizer> logger)
{
    public async Task FinalizeAsync(NewOrder order, OrderOutcome outcome)
    {
        var traceId = Activity.Current?.TraceId.ToHexString() ?? "";
        var timings = new Dictionary<string, double>(order.StageTimings ?? new Dictionary<string, double>());

        using var confirm = telemetry.StartStage(Stages.Confirm);
        confirm.SetTag(TradingAttributes.OrderId, order.OrderId)
            .SetTag(TradingAttributes.OrderStatus, outcome.Status.ToString());
        var final = outcome with { StageTimings = timings, CompletedAt = DateTimeOffset.UtcNow };
        final = final with
        {
            StageTimings = new Dictionary<string, double>(timings) { [Stages.Confirm] = Math.Round(confirm.ElapsedMilliseconds, 3) },
        };
        var notification = new OrderNotification(order.OrderId, order.ClientId, order.Symbol, outcome.Status,
            outcome.FilledQuantity, outcome.AveragePrice, outcome.Reason, traceId, final.CompletedAt);

        bool first;
        using (var notify = telemetry.StartStage(Stages.Notify))
        {
            (first, var receivers) = await writer.FinalizeAndNotifyAsync(order, traceId, final, notification);
            notify.SetTag(TradingAttributes.OrderStatus, outcome.Status.ToString())
                .SetTag("trading.order.already_final", !first)
                .SetTag("trading.notification.subscribers", receivers);
            if (first)
            {
                metrics.Pushed(receivers);
            }
        }

        confirm.SetTag("trading.order.already_final", !first);
        if (!first)
        {
            NotificationLog.AlreadyFinal(logger, order.OrderId);
            return;
        }

        metrics.Completed(outcome.Status, order.Symbol, final.CompletedAt - order.ReceivedAt);
        NotificationLog.Final(logger, order.OrderId, order.ClientId, outcome.Status, outcome.Reason ?? "");
    }
}

internal static partial class NotificationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} of {ClientId} is {Status} {Reason}")]
    public static partial void Final(ILogger logger, string orderId, string clientId, OrderStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was already final; outcome not pushed again")]
    public static partial void AlreadyFinal(ILogger logger, string orderId);
}
