namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary><c>GET /api/feeds</c>: every venue feed seen in the period (by reports or sessions), by name.</summary>
public sealed record FeedsResponse(DateTime From, DateTime To, IReadOnlyList<FeedHealth> Venues);

/// <summary>One venue feed over the period.</summary>
/// <param name="State">The latest report's state (<c>up</c>, <c>degraded</c>, <c>down</c>); null without reports.</param>
/// <param name="StateAt">The end of the interval that latest report covers.</param>
/// <param name="StaleSymbols">Subscribed symbols without a fresh quote, in the latest report.</param>
/// <param name="Reports">Reports in the period (one per venue and interval).</param>
/// <param name="Messages">Feed messages received in the period.</param>
/// <param name="Sessions">The connection sessions that overlap the period, newest first, each with its trace's URL.</param>
public sealed record FeedHealth(
    string Venue,
    string? State,
    DateTime? StateAt,
    int? StaleSymbols,
    string? LastDisconnectReason,
    long Reports,
    long Messages,
    FeedUptime Uptime,
    FeedGapRate Gaps,
    FeedConnections Connections,
    FeedQuality Quality,
    FeedLatency Latency,
    IReadOnlyList<FeedSession> Sessions);

/// <summary>Connected seconds against the seconds the reports cover; <paramref name="Percent"/> null without reports.</summary>
public sealed record FeedUptime(double CoveredSeconds, double ConnectedSeconds, double? Percent);

/// <summary>
/// Gaps (sequence holes) and the messages they missed, per 1,000 messages received (null when none was), and the
/// share of gaps recovered (null when there was none).
/// </summary>
public sealed record FeedGapRate(long Gaps, long GapMessages, long Recovered, double? GapsPer1000Messages, double? GapMessagesPer1000Messages, double? RecoveredShare);

public sealed record FeedConnections(long Disconnects, long Reconnects);

/// <summary>Data-quality counts: malformed frames, messages out of order, crossed quotes (bid above ask).</summary>
public sealed record FeedQuality(long MalformedFrames, long OutOfOrder, long CrossedQuotes);

/// <summary>
/// Feed latency (receive time − venue timestamp). <paramref name="Points"/>: one per report interval, or per bucket of
/// <paramref name="BucketSeconds"/> when the period holds more than <see cref="FeedHealthAnalysis.MaxPoints"/> reports
/// (a bucket's p50 is its intervals' p50s weighted by messages; its p99 and max are its worst interval's).
/// </summary>
/// <param name="WorstP99Ms">The highest interval p99 of the period.</param>
/// <param name="MaxMs">The highest latency of the period.</param>
public sealed record FeedLatency(double? WorstP99Ms, double? MaxMs, double? BucketSeconds, IReadOnlyList<FeedLatencyPoint> Points);

/// <summary>Latency of one report interval or bucket; percentiles null when no message arrived in it.</summary>
public sealed record FeedLatencyPoint(DateTime Start, DateTime End, long Messages, double? P50Ms, double? P99Ms, double? MaxMs, long Gaps);
