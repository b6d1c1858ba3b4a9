namespace TradingAspire.Contracts;

/// <summary>Feed states, as the marketdata service's health checks and reports name them.</summary>
public static class FeedStates
{
    /// <summary>Connected, logged in, subscribed, and quotes are fresh.</summary>
    public const string Up = "up";

    /// <summary>Connected but some subscribed symbols have had no update for <c>StaleAfter</c>, or the feed gaps (health: degraded).</summary>
    public const string Degraded = "degraded";

    /// <summary>Not connected (connecting, backing off, or the login is refused) (health: unhealthy).</summary>
    public const string Down = "down";
}

/// <summary>
/// One venue feed's health over one interval (<c>MarketData:HealthReportInterval</c>, default 5 s), written by
/// the marketdata service to the stream <see cref="Streams.MarketDataHealth"/> and stored by the trace store
/// for its feed-health view. Counts are for the interval only; latencies are feed latency (receive time −
/// venue timestamp) in milliseconds over the interval's messages, null when none arrived.
/// </summary>
public sealed record FeedHealthReport(
    string Venue,
    DateTimeOffset IntervalStart,
    DateTimeOffset IntervalEnd,
    string State,
    double ConnectedSeconds,
    long Messages,
    double? LatencyP50Ms,
    double? LatencyP99Ms,
    double? LatencyMaxMs,
    long Gaps,
    long GapMessages,
    long GapsRecovered,
    long Disconnects,
    long Reconnects,
    long OutOfOrder,
    long CrossedQuotes,
    long MalformedFrames,
    int StaleSymbols,
    string? SessionTraceId,
    string? LastDisconnectReason);

/// <summary>Span names of the marketdata service (the trace store's feed-health view finds sessions by them).</summary>
public static class MarketDataSpans
{
    /// <summary>One per connection session (root of its trace, attribute <c>trading.venue</c>), lifecycle as span events; ends at the disconnect.</summary>
    public const string Session = "marketdata.session";

    /// <summary>Child of the session: connect, login and subscribe; ends once subscribed (so a session is visible while it lasts).</summary>
    public const string Connect = "marketdata.connect";

    /// <summary>Child of the session: one sampled feed message (one in N, and every message next to a gap, out-of-order or malformed frame).</summary>
    public const string Message = "marketdata.message";

    /// <summary>Child of the session: a gap's recovery (replay, else snapshot), attributes with its size and whether it was recovered.</summary>
    public const string GapRecovery = "marketdata.gap";

    /// <summary>Session span event names.</summary>
    public static class Events
    {
        public const string Connecting = "connecting";
        public const string Connected = "connected";
        public const string Authenticated = "authenticated";
        public const string Subscribed = "subscribed";
        public const string Disconnected = "disconnected";
        public const string ReconnectAttempt = "reconnect_attempt";
        public const string Gap = "gap";
        public const string Malformed = "malformed_frame";
    }
}
