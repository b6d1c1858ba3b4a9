using System.Diagnostics;
using System.Net.WebSockets;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>Connect, log in and subscribe: the part of a session before it receives quotes.</summary>
public sealed partial class VenueFeedClient
{
    /// <summary>The session ended before it was subscribed (<see cref="Reason"/>: login_refused, connect_failed, …).</summary>
    private sealed class SessionFailedException(string reason, string? description) : Exception(description ?? reason)
    {
        public string Reason { get; } = reason;
        public string? Description { get; } = description;
    }

    private readonly record struct ConnectOutcome(bool Connected, string? Failure, string? Description);

    private async Task<ConnectOutcome> ConnectAsync(ClientWebSocket socket, Activity? connect, FeedSession session, byte[] buffer, CancellationToken cancellationToken)
    {
        var span = session.Span;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var token = timeout.Token;
        span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Connecting));
        try
        {
            await socket.ConnectAsync(feedUri, token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(false, "connect_failed", ex.Message);
        }

        span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Connected));
        try
        {
            await socket.SendAsync(FeedRequests.Login(serviceKey ?? ""), WebSocketMessageType.Text, true, token);
            var login = await ReceiveUntilAsync(socket, session, buffer, FeedMessageType.LoginOk, FeedMessageType.LoginRefused, token);
            if (login.Type != FeedMessageType.LoginOk)
            {
                return new(true, "login_refused", login.Type == FeedMessageType.LoginRefused ? $"Login refused: {frame.Reason ?? "no reason"}" : login.Description);
            }

            if (frame.SessionId is { } venueSession)
            {
                span?.SetTag("trading.marketdata.venue_session_id", venueSession);
            }

            span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Authenticated));
            connect?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Authenticated));
            await socket.SendAsync(FeedRequests.Subscribe(feed.Symbols.Symbols), WebSocketMessageType.Text, true, token);
            var subscribed = await ReceiveUntilAsync(socket, session, buffer, FeedMessageType.Subscribed, FeedMessageType.Error, token);
            if (subscribed.Type != FeedMessageType.Subscribed)
            {
                return new(true, "subscribe_failed", subscribed.Type == FeedMessageType.Error ? $"Subscribe refused: {frame.Reason ?? "no reason"}" : subscribed.Description);
            }

            connect?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Subscribed));
            return new(true, null, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(true, "connect_timeout", $"Not subscribed within {options.ConnectTimeout.TotalSeconds:0.#} s.");
        }
        catch (WebSocketException ex)
        {
            return new(true, "connection_lost", ex.Message);
        }
    }

    private readonly record struct Awaited(FeedMessageType Type, string? Description);

    /// <summary>Receives until one of two message types (other frames are handled as usual); the close of the socket ends it.</summary>
    private async Task<Awaited> ReceiveUntilAsync(ClientWebSocket socket, FeedSession session, byte[] buffer, FeedMessageType wanted, FeedMessageType refused, CancellationToken token)
    {
        while (true)
        {
            var received = await FrameReceiver.ReceiveAsync(socket, buffer, token);
            if (received.Closed)
            {
                return new(FeedMessageType.None, $"Closed by the venue: {received.CloseDescription ?? "no reason"}");
            }

            var type = Handle(socket, session, buffer, received, out var request);
            if (request.Kind != FeedRequestKind.None)
            {
                await socket.SendAsync(FeedRequests.For(request), WebSocketMessageType.Text, true, token);
            }

            if (type == wanted || type == refused)
            {
                return new(type, null);
            }
        }
    }
}
