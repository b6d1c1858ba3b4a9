using System.Diagnostics;
using System.Net.WebSockets;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>
/// One venue's connection loop: connect, log in, subscribe, receive until the connection ends, then back off
/// (exponential, with jitter) and do it again. Each connection is one <c>marketdata.session</c> root span with
/// the lifecycle as events. Nothing a venue sends or does ends the loop; only the service's shutdown does.
/// </summary>
public sealed partial class VenueFeedClient(
    VenueFeed feed,
    Uri feedUri,
    string? serviceKey,
    FeedTelemetry telemetry,
    MarketDataOptions options,
    ILogger logger)
{
    private readonly ReconnectBackoff backoff = new(options.Reconnect.BaseDelay, options.Reconnect.MaxDelay);
    private readonly bool monitoring = options.Monitoring.Enabled;
    private readonly FeedFrame frame = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Sessions are roots of their own traces, never children of whatever started the loop.
        Activity.Current = null;
        var attempt = 0;
        long disconnectedAt = 0;
        var buffer = new byte[Math.Max(1024, options.MaxFrameBytes)];
        while (!cancellationToken.IsCancellationRequested)
        {
            if (attempt > 0)
            {
                try
                {
                    await Task.Delay(backoff.DelayFor(attempt), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var subscribed = await RunSessionAsync(attempt, disconnectedAt, buffer, cancellationToken);
            disconnectedAt = Stopwatch.GetTimestamp();
            attempt = subscribed ? 1 : attempt + 1;
        }
    }

    /// <summary>One connection session; answers whether it got as far as subscribed.</summary>
    private async Task<bool> RunSessionAsync(int attempt, long disconnectedAt, byte[] buffer, CancellationToken cancellationToken)
    {
        var sessionId = Guid.NewGuid().ToString("N")[..16];
        using var span = monitoring ? telemetry.Source.StartActivity(MarketDataSpans.Session, ActivityKind.Client, parentContext: default) : null;
        span?.SetTag(TradingAttributes.Venue, feed.Venue);
        span?.SetTag(TradingAttributes.FeedSessionId, sessionId);
        span?.SetTag(SemanticAttributes.ServerAddress, feedUri.Host);
        span?.SetTag("server.port", feedUri.Port);
        span?.SetTag("network.protocol.name", "websocket");
        span?.SetTag("url.full", feedUri.ToString());
        if (attempt > 0)
        {
            span?.SetTag(TradingAttributes.FeedReconnectAttempt, attempt);
            span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.ReconnectAttempt, tags: new ActivityTagsCollection { ["n"] = attempt }));
        }

        feed.SessionStarted(sessionId, span?.TraceId.ToString());
        var session = new FeedSession(feed, telemetry, options, span, logger);
        using var socket = new ClientWebSocket();
        var subscribed = false;
        var connected = false;
        string reason;
        string? errorDescription = null;
        Exception? error = null;
        using var watchdog = new ReceiveWatchdog(socket, options.ReceiveTimeout);
        try
        {
            ConnectOutcome outcome;
            using (var connect = monitoring ? telemetry.Source.StartActivity(MarketDataSpans.Connect, ActivityKind.Client, span?.Context ?? default) : null)
            {
                connect?.SetTag(TradingAttributes.Venue, feed.Venue);
                connect?.SetTag(TradingAttributes.FeedSessionId, sessionId);
                outcome = await ConnectAsync(socket, connect, session, buffer, cancellationToken);
                connected = outcome.Connected;
                if (outcome.Failure is { } failure)
                {
                    connect.RecordError(failure, outcome.Description ?? failure);
                }
            }

            // A refused login, a failed connect or subscribe ends the session like any disconnect (event, error status, log).
            if (outcome.Failure is not null)
            {
                throw new SessionFailedException(outcome.Failure, outcome.Description);
            }

            subscribed = true;
            feed.SessionSubscribed();
            span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Subscribed));
            LogSubscribed(logger, feed.Venue, sessionId, feed.Symbols.Count);
            if (disconnectedAt != 0)
            {
                feed.Counters.Reconnects++;
                if (monitoring)
                {
                    telemetry.ReconnectDuration.Record(Stopwatch.GetElapsedTime(disconnectedAt).TotalSeconds,
                        new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue));
                }
            }

            watchdog.Start();
            (reason, errorDescription) = await ReceiveLoopAsync(socket, session, watchdog, buffer, cancellationToken);
        }
        catch (SessionFailedException failed)
        {
            reason = failed.Reason;
            errorDescription = failed.Description;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "shutdown";
        }
        catch (Exception ex) when (watchdog.Fired)
        {
            reason = "receive_timeout";
            errorDescription = $"No frame for {options.ReceiveTimeout.TotalSeconds:0.#} s.";
            error = ex;
        }
        catch (Exception ex)
        {
            reason = !connected ? "connect_failed" : ex is WebSocketException ? "connection_lost" : "error";
            errorDescription = ex.Message;
            error = ex;
        }
        finally
        {
            session.End();
        }

        var cleanShutdown = reason == "shutdown";
        span?.AddEvent(new ActivityEvent(MarketDataSpans.Events.Disconnected, tags: new ActivityTagsCollection
        {
            ["reason"] = reason,
            [TradingAttributes.FeedDisconnectReason] = reason,
        }));
        span?.SetTag(TradingAttributes.FeedDisconnectReason, reason);
        if (!cleanShutdown)
        {
            span.RecordError(reason, errorDescription ?? reason, error);
        }

        feed.SessionEnded(reason);
        // A disconnect is the loss of a subscribed session; attempts that never got there are failed reconnects.
        if (subscribed && !cleanShutdown)
        {
            feed.Counters.Disconnects++;
            if (monitoring)
            {
                telemetry.Disconnects.Add(1, new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue),
                    new KeyValuePair<string, object?>(TradingAttributes.FeedDisconnectReason, reason));
            }
        }

        if (!cleanShutdown)
        {
            LogDisconnected(logger, feed.Venue, sessionId, reason, errorDescription);
        }

        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, close.Token);
            }
            catch (Exception)
            {
                // Closing is a courtesy; the socket is aborted by its disposal anyway.
            }
        }

        return subscribed;
    }

    private async Task<(string Reason, string? Description)> ReceiveLoopAsync(
        ClientWebSocket socket, FeedSession session, ReceiveWatchdog watchdog, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await FrameReceiver.ReceiveAsync(socket, buffer, cancellationToken);
            watchdog.Alive();
            if (received.Closed)
            {
                var description = received.CloseDescription;
                return (CloseReason(description), $"Closed by the venue ({received.CloseStatus}): {description ?? "no reason"}");
            }

            Handle(socket, session, buffer, received, out var request);
            if (request.Kind != FeedRequestKind.None)
            {
                await socket.SendAsync(FeedRequests.For(request), WebSocketMessageType.Text, true, cancellationToken);
            }
        }
    }

    private FeedMessageType Handle(ClientWebSocket socket, FeedSession session, byte[] buffer, ReceivedFrame received, out FeedRequest request)
    {
        request = FeedRequest.None;
        if (received.Huge)
        {
            session.OnMalformed(MalformedKind.Huge, received.Bytes);
            return FeedMessageType.None;
        }

        if (received.Binary)
        {
            session.OnMalformed(MalformedKind.BinaryFrame, received.Bytes);
            return FeedMessageType.None;
        }

        var malformed = FeedFrameParser.Parse(buffer.AsSpan(0, received.Bytes), feed.Symbols, frame);
        if (malformed != MalformedKind.None)
        {
            session.OnMalformed(malformed, received.Bytes);
            return FeedMessageType.None;
        }

        request = session.OnFrame(frame, VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow));
        if (frame.Type == FeedMessageType.Error)
        {
            LogVenueError(logger, feed.Venue, frame.Reason);
        }

        return frame.Type;
    }

    /// <summary>A low-cardinality disconnect reason from the venue's close description (a protocol reason, else "closed").</summary>
    public static string CloseReason(string? description) => description switch
    {
        VenueFeedProtocol.Reasons.SlowConsumer or VenueFeedProtocol.Reasons.VenueDown or VenueFeedProtocol.Reasons.LoginTimeout
            or VenueFeedProtocol.Reasons.BadRequest or VenueFeedProtocol.Reasons.LoginsRefused or VenueFeedProtocol.Reasons.BadToken => description,
        _ => "closed",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {Venue} subscribed (session {SessionId}, {Symbols} symbols)")]
    private static partial void LogSubscribed(ILogger logger, string venue, string sessionId, int symbols);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Venue} session {SessionId} ended: {Reason} ({Description})")]
    private static partial void LogDisconnected(ILogger logger, string venue, string sessionId, string reason, string? description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Venue} sent an error: {Reason}")]
    private static partial void LogVenueError(ILogger logger, string venue, string? reason);
}
