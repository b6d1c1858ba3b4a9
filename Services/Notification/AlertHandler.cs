using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.Notification;

/// <summary><c>alerts</c> → pushed to every subscriber of <c>GET /alerts</c>, and kept among the recent ones.</summary>
public sealed class AlertHandler(NotificationChannel channel, NotificationMetrics metrics) : IStreamHandler<LatencyAlert>
{
    public async Task HandleAsync(StreamMessage<LatencyAlert> message, CancellationToken cancellationToken)
    {
        var receivers = await channel.PublishAlertAsync(message.Body);
        metrics.Pushed(receivers);
    }
}
