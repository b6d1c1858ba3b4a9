using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using TradingAspire.Contracts;

namespace TradingAspire.Notification;

public static partial class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/notifications").WithTags("Notifications");

        notifications.MapGet("/{clientId}", (string clientId, NotificationChannel channel, CancellationToken cancellationToken) =>
                ValidClientId().IsMatch(clientId)
                    ? Results.ServerSentEvents(Events(channel.SubscribeAsync(clientId, cancellationToken), cancellationToken))
                    : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid client id",
                        detail: "clientId must be 1-64 letters, digits, '-' or '_'."))
            .WithSummary("Server-Sent Events: every final outcome of this client's orders from now on (event type = status).");

        notifications.MapGet("/{clientId}/recent", async (string clientId, NotificationChannel channel) =>
                ValidClientId().IsMatch(clientId)
                    ? Results.Ok(await channel.RecentAsync(clientId))
                    : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid client id",
                        detail: "clientId must be 1-64 letters, digits, '-' or '_'."))
            .WithSummary($"The last {NotificationChannel.RecentLimit} outcomes pushed to this client, newest first.");

        return notifications;
    }

    private static async IAsyncEnumerable<SseItem<OrderNotification>> Events(
        IAsyncEnumerable<OrderNotification> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A comment-like first event so clients (and proxies) see the stream is open before the first outcome.
        yield return new SseItem<OrderNotification>(null!, "subscribed");
        await foreach (var notification in source.WithCancellation(cancellationToken))
        {
            yield return new SseItem<OrderNotification>(notification, notification.Status.ToString()) { EventId = notification.OrderId };
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidClientId();
}
