using System.Globalization;
using TradingAspire.TraceAnalytics.Analytics;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceAnalyticsStore"/> in DuckDB SQL over <see cref="SpanTable"/>, read through <see cref="TraceDatabase"/>.
/// Every query is bounded by a time window on <c>Timestamp</c>, which the row groups' zone maps turn into a
/// scan of that window only. Percentiles are DuckDB's <c>quantile_cont</c>, medians and MADs its <c>median</c> and <c>mad</c>.
/// </summary>
public sealed class DuckDbTraceAnalyticsStore(TraceDatabase database) : ITraceAnalyticsStore
{
    public async Task<SpanSearchPage> SearchSpansAsync(SpanSearchCriteria criteria, CancellationToken cancellationToken = default)
    {
        var spans = await database.QueryAsync(SpanSearchQuery.Build(criteria), SpanRows.Read, cancellationToken).ConfigureAwait(false);
        if (spans.Count <= criteria.Limit)
        {
            return new SpanSearchPage(spans, null);
        }

        spans.RemoveAt(spans.Count - 1);
        var last = spans[^1];
        return new SpanSearchPage(spans, new SpanCursor(last.Timestamp, last.TraceId, last.SpanId));
    }

    public async Task<IReadOnlyList<LatencyGroup>> GetLatencyAsync(
        StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery();
        query.Text = $"""
            WITH {StageSpans.Define(query, filter, groupBy)}
            SELECT {StageSpans.KeyColumns(groupBy)}, count(*) AS n, count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors,
                   {StageSpans.Percentiles}
            FROM spans
            GROUP BY {StageSpans.KeyList}
            ORDER BY {StageSpans.KeyList}
            """;
        return await database.QueryAsync(query, row =>
        {
            var (p50, p95, p99) = StageSpans.ReadPercentiles(row);
            return new LatencyGroup(StageSpans.ReadKey(row), row.Int64("n"), row.Int64("errors"), p50, p95, p99);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LatencyBucket>> GetLatencySeriesAsync(StageFilter filter, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery().Bind("bucketNanos", bucket.Ticks * 100);
        query.Text = $"""
            WITH {StageSpans.Define(query, filter, [])}
            SELECT (epoch_ns("Timestamp") // $bucketNanos) * $bucketNanos AS bucket, count(*) AS n,
                   count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors, {StageSpans.Percentiles}
            FROM spans
            GROUP BY bucket
            ORDER BY bucket
            """;
        return await database.QueryAsync(query, row =>
        {
            var (p50, p95, p99) = StageSpans.ReadPercentiles(row);
            return new LatencyBucket(DuckDbTime.FromUnixNanos(row.AnyInt64("bucket")), row.Int64("n"), row.Int64("errors"), p50, p95, p99);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DurationSample>> GetDurationSamplesAsync(
        StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, int maxPerGroup, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery().Bind("maxPerGroup", maxPerGroup);
        query.Text = $"""
            WITH {StageSpans.Define(query, filter, groupBy)}
            SELECT {StageSpans.KeyColumns(groupBy)}, ms
            FROM spans
            QUALIFY row_number() OVER (PARTITION BY {StageSpans.KeyList} ORDER BY hash("SpanId")) <= $maxPerGroup
            """;
        return await database.QueryAsync(query, row => new DurationSample(StageSpans.ReadKey(row), row.Double("ms")), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TraceTimeline>> GetTraceTimelinesAsync(DateTime from, DateTime to, int maxTraces, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""
                WITH roots AS (
                    SELECT DISTINCT "TraceId" FROM {SpanTable.Name}
                    WHERE "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS AND "ParentSpanId" = ''
                    ORDER BY hash("TraceId") LIMIT $maxTraces
                )
                SELECT s."TraceId", s."SpanId", s."ParentSpanId", s."SpanName", s."ServiceName",
                       epoch_ns(s."Timestamp") AS start_ns, s."Duration", s."StatusCode", s."Venue"
                FROM {SpanTable.Name} s
                WHERE s."Timestamp" >= $slackFrom::TIMESTAMP_NS AND s."Timestamp" < $slackTo::TIMESTAMP_NS
                  AND s."TraceId" IN (SELECT "TraceId" FROM roots)
                ORDER BY s."TraceId", start_ns
                """)
            .BindTime("from", from).BindTime("to", to)
            .BindTime("slackFrom", from - StageSpans.TraceSlack).BindTime("slackTo", to + StageSpans.TraceSlack)
            .Bind("maxTraces", maxTraces);
        var spans = await database.QueryAsync(query, row =>
        {
            var start = row.Int64("start_ns");
            return (TraceId: row.String(SpanTable.TraceId), Span: new TraceSpan(
                row.String(SpanTable.SpanId), row.String(SpanTable.ParentSpanId), row.String(SpanTable.SpanName), row.String(SpanTable.ServiceName),
                start, start + row.Int64(SpanTable.Duration), row.String(SpanTable.StatusCode), row.NullableString(SpanTable.Venue)));
        }, cancellationToken).ConfigureAwait(false);

        // Rows come ordered by trace: each run of one trace id is one timeline.
        var timelines = new List<TraceTimeline>();
        var trace = new List<TraceSpan>();
        for (var i = 0; i < spans.Count; i++)
        {
            trace.Add(spans[i].Span);
            if (i + 1 == spans.Count || spans[i + 1].TraceId != spans[i].TraceId)
            {
                timelines.Add(new TraceTimeline(spans[i].TraceId, trace.FirstOrDefault(s => s.Venue is not null)?.Venue, trace.ToArray()));
                trace.Clear();
            }
        }

        return timelines;
    }

    public async Task<IReadOnlyList<StageOutlierCandidate>> FindStageOutliersAsync(
        StageFilter filter, double threshold, int minSamples, int limit, CancellationToken cancellationToken = default, double minExcessMs = 0)
    {
        var query = new DuckDbQuery()
            .Bind("threshold", threshold).Bind("minExcess", minExcessMs).Bind("minSamples", (long)minSamples).Bind("limit", limit);
        query.Text = $"""
            WITH {StageSpans.Define(query, filter, [])},
            stats AS (
                SELECT "SpanName", "Venue", count(*) AS n, median(ms) AS med, mad(ms) AS mad
                FROM spans GROUP BY "SpanName", "Venue" HAVING count(*) >= $minSamples
            ),
            spread AS (
                SELECT st.*, avg(abs(s.ms - st.med)) AS meanad
                FROM spans s JOIN stats st ON s."SpanName" = st."SpanName" AND s."Venue" IS NOT DISTINCT FROM st."Venue"
                GROUP BY ALL
            ),
            scored AS (
                SELECT s.*, sp.n, sp.med, sp.mad, sp.meanad,
                       CASE WHEN sp.mad > 0 THEN {Number(RobustStatistics.MadConsistency)} * (s.ms - sp.med) / sp.mad
                            WHEN sp.meanad > 0 THEN (s.ms - sp.med) / ({Number(RobustStatistics.MeanAbsoluteDeviationConsistency)} * sp.meanad)
                            ELSE 0 END AS score
                FROM spans s JOIN spread sp ON s."SpanName" = sp."SpanName" AND s."Venue" IS NOT DISTINCT FROM sp."Venue"
                WHERE s.ms - sp.med >= $minExcess
            )
            SELECT "TraceId", "SpanId", "SpanName", "ServiceName", "Venue", "OrderId", "Timestamp", ms, n, med, mad, meanad
            FROM scored
            WHERE score > $threshold AND ms - med >= $minExcess
            ORDER BY score DESC, "TraceId", "SpanId"
            LIMIT $limit
            """;
        return await database.QueryAsync(query, row =>
        {
            var observation = new StageObservation(
                row.String(SpanTable.TraceId), row.String(SpanTable.SpanId), row.String(SpanTable.SpanName), row.String(SpanTable.ServiceName),
                row.NullableString(SpanTable.Venue), row.NullableString(SpanTable.OrderId), row.Time(SpanTable.Timestamp), row.Double("ms"));
            var baseline = new StageBaseline(observation.Stage, observation.Venue, row.Int64("n"), row.Double("med"), row.Double("mad"), row.Double("meanad"));
            return new StageOutlierCandidate(observation, baseline);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
