using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.RegularExpressions;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Notification;

public static partial class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization();

        notifications.MapGet("/{clientId}", (string clientId, ClaimsPrincipal user, NotificationChannel channel, CancellationToken cancellationToken) =>
                !ValidClientId().IsMatch(clientId)
                    ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid client id",
                        detail: "clientId must be 1-64 letters, digits, '-' or '_'.")
                    : clientId != user.ClientId()
                        ? NotYours(clientId)
                        : Results.ServerSentEvents(Events(channel.SubscribeAsync(clientId, cancellationToken), cancellationToken)))
            .WithSummary("Server-Sent Events: every final outcome of this client's orders from now on (event type = status).");

        notifications.MapGet("/{clientId}/recent", async (string clientId, ClaimsPrincipal user, NotificationChannel channel) =>
                !ValidClientId().IsMatch(clientId)
                    ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid client id",
                        detail: "clientId must be 1-64 letters, digits, '-' or '_'.")
                    : clientId != user.ClientId()
                        ? NotYours(clientId)
                        : Results.Ok(await channel.RecentAsync(clientId)))
            .WithSummary($"The last {NotificationChannel.RecentLimit} outcomes pushed to this client, newest first.");

        var alerts = app.MapGroup("/alerts").WithTags("Alerts").RequireAuthorization();
        alerts.MapGet("/", (ClaimsPrincipal user, NotificationChannel channel, CancellationToken cancellationToken) =>
                Results.ServerSentEvents(AlertEvents(channel.SubscribeAlertsAsync(cancellationToken), user.ClientId()!, cancellationToken)))
            .WithSummary("Server-Sent Events: latency alerts as the trace store raises and resolves them (event type = Firing/Resolved); " +
                         "the slow traces listed are only the subscriber's own orders.");
        alerts.MapGet("/recent", async (ClaimsPrincipal user, NotificationChannel channel) =>
                Results.Ok((await channel.RecentAlertsAsync()).Select(a => a.ForClient(user.ClientId()!))))
            .WithSummary($"The last {NotificationChannel.RecentLimit} alert transitions, newest first (slow traces: only the caller's own orders).");

        return notifications;
    }

    /// <summary>Every alert reaches every client (latency is desk-wide), but with only that client's own slow traces.</summary>
    private static async IAsyncEnumerable<SseItem<LatencyAlert>> AlertEvents(
        IAsyncEnumerable<LatencyAlert?> source, string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var alert in source.WithCancellation(cancellationToken))
        {
            // The first item (null) says the subscription is live: only then is the client told it is subscribed.
            yield return alert is null
                ? new SseItem<LatencyAlert>(null!, "subscribed")
                : new SseItem<LatencyAlert>(alert.ForClient(clientId), alert.State.ToString()) { EventId = alert.Id };
        }
    }

    private static IResult NotYours(string clientId) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your notifications",
            detail: $"You may only subscribe to your own client's notifications, not '{clientId}'.");

    private static async IAsyncEnumerable<SseItem<OrderNotification>> Events(
        IAsyncEnumerable<OrderNotification?> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var notification in source.WithCancellation(cancellationToken))
        {
            // The first item (null) comes once Redis has confirmed the subscription. The "subscribed" event is sent
            // only then, so an order a client posts after reading it can never be pushed before anyone listens.
            yield return notification is null
                ? new SseItem<OrderNotification>(null!, "subscribed")
                : new SseItem<OrderNotification>(notification, notification.Status.ToString()) { EventId = notification.OrderId };
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidClientId();
}
