using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;

namespace TradingAspire.Notification;

/// <summary>Execution reports from <c>orders.filled</c>: Filled, PartiallyFilled or Failed.</summary>
public sealed class ExecutionReportHandler(OrderFinalizer finalizer) : IStreamHandler<ExecutionReport>
{
    public Task HandleAsync(StreamMessage<ExecutionReport> message, CancellationToken cancellationToken)
    {
        var report = message.Body;
        var outcome = new OrderOutcome(report.Status, report.Fills, report.FilledQuantity, report.AveragePrice,
            report.SlippageBps, report.Venue, report.FailureReason, new Dictionary<string, double>(), DateTimeOffset.UtcNow);
        return finalizer.FinalizeAsync(report.Order, outcome);
    }
}

/// <summary>Risk rejections from <c>orders.rejected</c>.</summary>
public sealed class RejectionHandler(OrderFinalizer finalizer) : IStreamHandler<RejectedOrder>
{
    public Task HandleAsync(StreamMessage<RejectedOrder> message, CancellationToken cancellationToken)
    {
        var rejected = message.Body;
        var outcome = new OrderOutcome(OrderStatus.Rejected, [], 0, null, null, null,
            $"{rejected.Reason}: {rejected.Detail}", new Dictionary<string, double>(), DateTimeOffset.UtcNow);
        return finalizer.FinalizeAsync(rejected.Order, outcome);
    }
}
