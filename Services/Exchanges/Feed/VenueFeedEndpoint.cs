using Microsoft.Extensions.Options;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// <c>GET /venues/{venue}/feed</c>: checks the venue before the upgrade (404 unknown, 503 down, 400 not a
/// WebSocket request), then runs one <see cref="FeedSession"/> until the connection ends.
/// </summary>
public static partial class VenueFeedEndpoint
{
    public static RouteHandlerBuilder MapVenueFeed(this IEndpointRouteBuilder app) =>
        app.MapGet(VenueFeedProtocol.PathTemplate, ConnectAsync)
            .WithTags("Venues")
            .WithSummary("The venue's market-data feed over WebSocket (README: Venue feed protocol).");

    private static async Task<IResult> ConnectAsync(
        string venue,
        HttpContext context,
        VenueFeeds feeds,
        VenueFaults venueFaults,
        FeedFaults feedFaults,
        FeedRequestHandler requests,
        FeedMetrics metrics,
        IOptionsMonitor<FeedOptions> feedOptions,
        ILogger<FeedSession> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No venue named '{venue}'.");
        }

        if (venueFaults.For(feed.Name).Down)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Venue unavailable",
                detail: $"{feed.Name} is down ({VenueFeedProtocol.Reasons.VenueDown}, injected fault).");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required",
                detail: "Connect with a WebSocket client (GET with Upgrade: websocket).");
        }

        var options = feedOptions.CurrentValue;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new FeedSession(feed, socket, options, feedFaults.For(feed.Name).SendBufferMessages ?? options.SendBufferMessages, metrics, context.RequestAborted);
        feed.Add(session);
        metrics.Connected(feed.Name);
        LogConnected(logger, feed.Name, session.Id);
        try
        {
            using var loginDeadline = new Timer(static s =>
            {
                var pending = (FeedSession)s!;
                try
                {
                    if (!pending.LoggedIn && !pending.IsClosing)
                    {
                        pending.Send(0, static (w, _) => FeedMessageWriter.Error(w, VenueFeedProtocol.Reasons.LoginTimeout, "no login in time"));
                        pending.RequestClose(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, VenueFeedProtocol.Reasons.LoginTimeout, discard: false);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // The connection ended as the deadline fired.
                }
            }, session, options.LoginTimeout, Timeout.InfiniteTimeSpan);

            var sending = session.SendLoopAsync();
            await requests.ReceiveLoopAsync(session, socket);
            session.RequestClose(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, discard: true);
            await sending;
        }
        finally
        {
            feed.Remove(session);
            metrics.Disconnected(feed.Name);
            LogDisconnected(logger, feed.Name, session.Id, session.Closing ?? "closed", session.LastSeq);
        }

        return Results.Empty;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed connection {SessionId} opened on {Venue}")]
    private static partial void LogConnected(ILogger logger, string venue, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed connection {SessionId} on {Venue} ended ({Reason}) at seq {LastSeq}")]
    private static partial void LogDisconnected(ILogger logger, string venue, string sessionId, string reason, long lastSeq);
}
