using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Notification;

/// <summary>
/// <c>order.confirm</c> (record the final state, exactly once) → <c>order.notify</c> (push it to the
/// client). A redelivered outcome finds the order already final and pushes nothing twice.
/// </summary>
public sealed class OrderFinalizer(
    ServiceTelemetry telemetry,
    NotificationMetrics metrics,
    OrderRecordStore store,
    NotificationChannel channel,
    ILogger<OrderFinalizer> logger)
{
    public async Task FinalizeAsync(NewOrder order, OrderOutcome outcome, string queueStream, DateTimeOffset enqueuedAt)
    {
        var traceId = Activity.Current?.TraceId.ToHexString() ?? "";
        var timings = new Dictionary<string, double>(order.StageTimings ?? new Dictionary<string, double>())
        {
            ["queue." + queueStream] = Math.Round((DateTimeOffset.UtcNow - enqueuedAt).TotalMilliseconds, 3),
        };

        bool first;
        using (var confirm = telemetry.StartStage(Stages.Confirm))
        {
            confirm.SetTag(TradingAttributes.OrderId, order.OrderId)
                .SetTag(TradingAttributes.OrderStatus, outcome.Status.ToString());
            var final = outcome with { StageTimings = timings, CompletedAt = DateTimeOffset.UtcNow };
            first = await store.TryFinalizeAsync(order, traceId, final with
            {
                StageTimings = new Dictionary<string, double>(timings) { [Stages.Confirm] = Math.Round(confirm.ElapsedMilliseconds, 3) },
            });
            confirm.SetTag("trading.order.already_final", !first);
            if (first)
            {
                metrics.Completed(outcome.Status, order.Symbol, final.CompletedAt - order.ReceivedAt);
            }
        }

        if (!first)
        {
            NotificationLog.AlreadyFinal(logger, order.OrderId);
            return;
        }

        using var notify = telemetry.StartStage(Stages.Notify);
        var notification = new OrderNotification(order.OrderId, order.ClientId, order.Symbol, outcome.Status,
            outcome.FilledQuantity, outcome.AveragePrice, outcome.Reason, traceId, DateTimeOffset.UtcNow);
        var receivers = await channel.PublishAsync(notification);
        notify.SetTag(TradingAttributes.OrderStatus, outcome.Status.ToString())
            .SetTag("trading.notification.subscribers", receivers);
        metrics.Pushed(receivers);
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
