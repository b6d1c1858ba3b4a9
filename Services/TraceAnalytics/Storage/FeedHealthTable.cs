namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The <c>feed_health</c> table: one row per venue feed and report interval, as the marketdata service reports it
/// (<c>FeedHealthReport</c>). Keyed by venue and interval start, so a report delivered twice is stored once.
/// Retention deletes it with the spans (<see cref="DuckDbTraceRetentionStore"/>), by interval end.
/// </summary>
internal static class FeedHealthTable
{
    public const string Name = "feed_health";

    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS {Name} (
            Venue VARCHAR NOT NULL, IntervalStart TIMESTAMP NOT NULL, IntervalEnd TIMESTAMP NOT NULL, State VARCHAR NOT NULL,
            ConnectedSeconds DOUBLE NOT NULL, Messages BIGINT NOT NULL, LatencyP50Ms DOUBLE, LatencyP99Ms DOUBLE, LatencyMaxMs DOUBLE,
            Gaps BIGINT NOT NULL, GapMessages BIGINT NOT NULL, GapsRecovered BIGINT NOT NULL, Disconnects BIGINT NOT NULL,
            Reconnects BIGINT NOT NULL, OutOfOrder BIGINT NOT NULL, CrossedQuotes BIGINT NOT NULL, MalformedFrames BIGINT NOT NULL,
            StaleSymbols INTEGER NOT NULL, SessionTraceId VARCHAR, LastDisconnectReason VARCHAR,
            PRIMARY KEY (Venue, IntervalStart))
        """;

    /// <summary>Every column, in table order.</summary>
    public const string Columns =
        "Venue, IntervalStart, IntervalEnd, State, ConnectedSeconds, Messages, LatencyP50Ms, LatencyP99Ms, LatencyMaxMs, " +
        "Gaps, GapMessages, GapsRecovered, Disconnects, Reconnects, OutOfOrder, CrossedQuotes, MalformedFrames, " +
        "StaleSymbols, SessionTraceId, LastDisconnectReason";

    /// <summary>Deletes the reports whose interval ended before <c>$cutoff</c>.</summary>
    public const string DeleteOlderThan = $"DELETE FROM {Name} WHERE IntervalEnd < $cutoff";
}
