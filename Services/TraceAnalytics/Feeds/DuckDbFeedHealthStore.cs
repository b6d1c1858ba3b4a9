using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>The feed-health reports (table <c>feed_health</c>) and the feed-session spans the feed-health view reads.</summary>
public interface IFeedHealthStore
{
    /// <summary>Stores a report; the same venue and interval again replaces it (a redelivered entry is stored once).</summary>
    Task SaveAsync(FeedHealthReport report, CancellationToken cancellationToken = default);

    /// <summary>The reports whose interval ended in (From, To], by venue then interval.</summary>
    Task<IReadOnlyList<FeedHealthReport>> GetReportsAsync(TimeWindow window, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <c>marketdata.session</c> and <c>marketdata.connect</c> spans that started in the window or up to
    /// <see cref="DuckDbFeedHealthStore.SessionLookback"/> before it, and every such span of <paramref name="traceIds"/>
    /// (the sessions the reports name, however long ago they started).
    /// </summary>
    Task<IReadOnlyList<SpanRecord>> GetSessionSpansAsync(TimeWindow window, IReadOnlyCollection<string> traceIds, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IFeedHealthStore"/> on <see cref="TraceDatabase"/>: saved on its write path, read on a connection of its own.</summary>
public sealed class DuckDbFeedHealthStore(TraceDatabase database) : IFeedHealthStore
{
    /// <summary>How far before the window the span scan looks for sessions still open in it.</summary>
    public static readonly TimeSpan SessionLookback = TimeSpan.FromHours(1);

    private const int MaxSessionSpans = 5000;
    private const int MaxNamedTraces = 500;

    public async Task SaveAsync(FeedHealthReport report, CancellationToken cancellationToken = default)
    {
        var statement = new DuckDbQuery($"""
                INSERT OR REPLACE INTO {FeedHealthTable.Name} ({FeedHealthTable.Columns})
                VALUES ($venue, $start, $end, $state, $connected, $messages, $p50, $p99, $max, $gaps, $gapMessages, $recovered,
                        $disconnects, $reconnects, $outOfOrder, $crossed, $malformed, $stale, $trace, $reason)
                """)
            .Bind("venue", report.Venue)
            .BindTime("start", report.IntervalStart.UtcDateTime)
            .BindTime("end", report.IntervalEnd.UtcDateTime)
            .Bind("state", report.State)
            .Bind("connected", report.ConnectedSeconds)
            .Bind("messages", report.Messages)
            .Bind("p50", report.LatencyP50Ms)
            .Bind("p99", report.LatencyP99Ms)
            .Bind("max", report.LatencyMaxMs)
            .Bind("gaps", report.Gaps)
            .Bind("gapMessages", report.GapMessages)
            .Bind("recovered", report.GapsRecovered)
            .Bind("disconnects", report.Disconnects)
            .Bind("reconnects", report.Reconnects)
            .Bind("outOfOrder", report.OutOfOrder)
            .Bind("crossed", report.CrossedQuotes)
            .Bind("malformed", report.MalformedFrames)
            .Bind("stale", report.StaleSymbols)
            .Bind("trace", report.SessionTraceId)
            .Bind("reason", report.LastDisconnectReason);
        await database.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<FeedHealthReport>> GetReportsAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""
                SELECT {FeedHealthTable.Columns} FROM {FeedHealthTable.Name}
                WHERE IntervalEnd > $from AND IntervalEnd <= $to
                ORDER BY Venue, IntervalStart
                """)
            .BindTime("from", window.From)
            .BindTime("to", window.To);
        return await database.QueryAsync(query, ReadReport, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SpanRecord>> GetSessionSpansAsync(
        TimeWindow window, IReadOnlyCollection<string> traceIds, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<SpanRecord>>(async connection =>
        {
            var inWindow = await new DuckDbQuery($"""
                    SELECT {SpanTable.SelectSpan} FROM {SpanTable.Name}
                    WHERE "Timestamp" >= $from AND "Timestamp" < $to AND "SpanName" IN ($session, $connect)
                    ORDER BY "Timestamp" DESC LIMIT $limit
                    """)
                .BindTime("from", window.From - SessionLookback)
                .BindTime("to", window.To)
                .Bind("session", MarketDataSpans.Session)
                .Bind("connect", MarketDataSpans.Connect)
                .Bind("limit", MaxSessionSpans)
                .ReadAsync(connection, SpanRows.Read, cancellationToken).ConfigureAwait(false);
            var known = inWindow.Select(span => span.TraceId).ToHashSet(StringComparer.Ordinal);
            foreach (var traceId in traceIds.Where(id => !known.Contains(id)).Take(MaxNamedTraces))
            {
                // By trace id (its ART index): a session that started long before the window and is still open.
                inWindow.AddRange(await new DuckDbQuery($"""
                        SELECT {SpanTable.SelectSpan} FROM {SpanTable.Name}
                        WHERE "TraceId" = $traceId AND "SpanName" IN ($session, $connect)
                        """)
                    .Bind("traceId", traceId)
                    .Bind("session", MarketDataSpans.Session)
                    .Bind("connect", MarketDataSpans.Connect)
                    .ReadAsync(connection, SpanRows.Read, cancellationToken).ConfigureAwait(false));
            }

            return inWindow;
        }, cancellationToken);

    private static FeedHealthReport ReadReport(DuckDbRow row) => new(
        row.String("Venue"),
        new DateTimeOffset(row.Time("IntervalStart")),
        new DateTimeOffset(row.Time("IntervalEnd")),
        row.String("State"),
        row.Double("ConnectedSeconds"),
        row.Int64("Messages"),
        NullableDouble(row, "LatencyP50Ms"),
        NullableDouble(row, "LatencyP99Ms"),
        NullableDouble(row, "LatencyMaxMs"),
        row.Int64("Gaps"),
        row.Int64("GapMessages"),
        row.Int64("GapsRecovered"),
        row.Int64("Disconnects"),
        row.Int64("Reconnects"),
        row.Int64("OutOfOrder"),
        row.Int64("CrossedQuotes"),
        row.Int64("MalformedFrames"),
        (int)row.AnyInt64("StaleSymbols"),
        row.NullableString("SessionTraceId"),
        row.NullableString("LastDisconnectReason"));

    private static double? NullableDouble(DuckDbRow row, string column) => row.IsNull(column) ? null : row.Double(column);
}
