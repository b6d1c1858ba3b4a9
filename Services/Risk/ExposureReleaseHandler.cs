using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Risk;

/// <summary>
/// <c>orders.filled</c> → <c>risk.release</c>: when an approved order fills only in part or not at
/// all, the unfilled quantity is taken off the client's position, so limits follow real exposure.
/// </summary>
public sealed class ExposureReleaseHandler(ServiceTelemetry telemetry, PositionBook positions) : IStreamHandler<ExecutionReport>
{
    public const string Stage = "risk.release";

    public async Task HandleAsync(StreamMessage<ExecutionReport> message, CancellationToken cancellationToken)
    {
        var report = message.Body;
        if (report.FilledQuantity >= report.Order.Quantity)
        {
            return;
        }

        using var stage = telemetry.StartStage(Stage);
        var released = await positions.ReleaseUnfilledAsync(report.Order, report.FilledQuantity);
        stage.SetTag(TradingAttributes.OrderStatus, report.Status.ToString())
            .SetTag("trading.risk.released_quantity", (double)released);
    }
}
