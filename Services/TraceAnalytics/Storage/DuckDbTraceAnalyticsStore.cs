using System.Globalization;
using TradingAspire.TraceAnalytics.Analytics;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceAnalyticsStore"/> in DuckDB SQL over <see cref="SpanTable"/>, read through <see cref="TraceDatabase"/>.
/// Every query is bounded by a time window on <c>Timestamp</c>, which the row groups' zone maps turn into a
/// scan of that window only. Percentiles are DuckDB's <c>quantile_cont</c>, medians and MADs its <c>median</c> and <c>mad</c>;
/// where tail sampling stored some traces as a share (<c>SampleWeight</c> above 1), stage percentiles and counts are
/// weighted by it (<see cref="StageSpans.WeightedPercentiles"/>), and so are the anomalies' medians and MADs: they
/// stay those of every exported trace.
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

    public Task<IReadOnlyList<LatencyGroup>> GetLatencyAsync(
        StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<LatencyGroup>>(async connection =>
        {
            var query = new DuckDbQuery();
            var spans = StageSpans.Define(query, filter, groupBy);
            query.Text = await IsWeightedAsync(connection, filter, cancellationToken).ConfigureAwait(false)
                ? $"""
                    WITH {spans},
                    keyed AS (SELECT {StageSpans.KeyColumns(groupBy)}, "StatusCode", ms, w FROM spans),
                    {StageSpans.Ranked("keyed", StageSpans.KeyList)}
                    SELECT {StageSpans.KeyList}, {StageSpans.WeightedCounts}, {StageSpans.WeightedPercentiles}
                    FROM ranked
                    GROUP BY {StageSpans.KeyList}
                    ORDER BY {StageSpans.KeyList}
                    """
                : $"""
                    WITH {spans}
                    SELECT {StageSpans.KeyColumns(groupBy)}, count(*) AS n, count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors,
                           {StageSpans.Percentiles}
                    FROM spans
                    GROUP BY {StageSpans.KeyList}
                    ORDER BY {StageSpans.KeyList}
                    """;
            return await query.ReadAsync(connection, row =>
            {
                var (p50, p95, p99) = StageSpans.ReadPercentiles(row);
                return new LatencyGroup(StageSpans.ReadKey(row), row.Int64("n"), row.Int64("errors"), p50, p95, p99);
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<LatencyBucket>> GetLatencySeriesAsync(StageFilter filter, TimeSpan bucket, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<LatencyBucket>>(async connection =>
        {
            var query = new DuckDbQuery().Bind("bucketNanos", bucket.Ticks * 100);
            var spans = StageSpans.Define(query, filter, []);
            query.Text = await IsWeightedAsync(connection, filter, cancellationToken).ConfigureAwait(false)
                ? $"""
                    WITH {spans},
                    bucketed AS (SELECT (epoch_ns("Timestamp") // $bucketNanos) * $bucketNanos AS bucket, "StatusCode", ms, w FROM spans),
                    {StageSpans.Ranked("bucketed", "bucket")}
                    SELECT bucket, {StageSpans.WeightedCounts}, {StageSpans.WeightedPercentiles}
                    FROM ranked
                    GROUP BY bucket
                    ORDER BY bucket
                    """
                : $"""
                    WITH {spans}
                    SELECT (epoch_ns("Timestamp") // $bucketNanos) * $bucketNanos AS bucket, count(*) AS n,
                           count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors, {StageSpans.Percentiles}
                    FROM spans
                    GROUP BY bucket
                    ORDER BY bucket
                    """;
            return await query.ReadAsync(connection, row =>
            {
                var (p50, p95, p99) = StageSpans.ReadPercentiles(row);
                return new LatencyBucket(DuckDbTime.FromUnixNanos(row.AnyInt64("bucket")), row.Int64("n"), row.Int64("errors"), p50, p95, p99);
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Whether the window holds tail-sampled spans (weight above 1): then the weighted statistics apply, else the plain ones.</summary>
    private static async Task<bool> IsWeightedAsync(DuckDB.NET.Data.DuckDBConnection connection, StageFilter filter, CancellationToken cancellationToken) =>
        await StageSpans.HasWeights(filter).ReadScalarAsync(connection, cancellationToken).ConfigureAwait(false) is true;

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
                WITH orders AS (
                    -- Order traces only: a feed's connection session (or any trace without an order) is not an order's journey.
                    SELECT DISTINCT "TraceId" FROM {SpanTable.Name}
                    WHERE "Timestamp" >= $slackFrom::TIMESTAMP_NS AND "Timestamp" < $slackTo::TIMESTAMP_NS AND "{SpanTable.OrderId}" <> ''
                ),
                roots AS (
                    SELECT DISTINCT "TraceId" FROM {SpanTable.Name}
                    WHERE "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS AND "ParentSpanId" = ''
                      AND "TraceId" IN (SELECT "TraceId" FROM orders)
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

    public Task<IReadOnlyList<StageOutlierCandidate>> FindStageOutliersAsync(
        StageFilter filter, double threshold, int minSamples, int limit, CancellationToken cancellationToken = default, double minExcessMs = 0) =>
        database.ReadAsync<IReadOnlyList<StageOutlierCandidate>>(async connection =>
        {
            var query = new DuckDbQuery()
                .Bind("threshold", threshold).Bind("minExcess", minExcessMs).Bind("minSamples", (long)minSamples).Bind("limit", limit);
            var spans = StageSpans.Define(query, filter, []);
            // The baseline per stage and venue: n, median, MAD and mean absolute deviation of every span in the filter,
            // weighted by SampleWeight where tail sampling kept a share (else DuckDB's median and mad).
            var baseline = await IsWeightedAsync(connection, filter, cancellationToken).ConfigureAwait(false)
                ? $"""
                    {StageSpans.Ranked("spans", "\"SpanName\", \"Venue\"")},
                    stats AS (
                        SELECT "SpanName", "Venue", CAST(round(sum(w)) AS BIGINT) AS n, {StageSpans.WeightedPercentile("0.5")} AS med
                        FROM ranked GROUP BY "SpanName", "Venue" HAVING sum(w) >= $minSamples
                    ),
                    deviations AS (
                        SELECT s."SpanName", s."Venue", abs(s.ms - st.med) AS ms, s.w
                        FROM spans s JOIN stats st ON s."SpanName" = st."SpanName" AND s."Venue" IS NOT DISTINCT FROM st."Venue"
                    ),
                    ranked_deviations AS (
                        SELECT *, sum(w) OVER (PARTITION BY "SpanName", "Venue" ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
                                  sum(w) OVER (PARTITION BY "SpanName", "Venue") AS total
                        FROM deviations
                    ),
                    deviation_stats AS (
                        SELECT "SpanName", "Venue", {StageSpans.WeightedPercentile("0.5")} AS mad, sum(w * ms) / sum(w) AS meanad
                        FROM ranked_deviations GROUP BY "SpanName", "Venue"
                    ),
                    spread AS (
                        SELECT st."SpanName", st."Venue", st.n, st.med, d.mad, d.meanad
                        FROM stats st JOIN deviation_stats d ON st."SpanName" = d."SpanName" AND st."Venue" IS NOT DISTINCT FROM d."Venue"
                    )
                    """
                : """
                    stats AS (
                        SELECT "SpanName", "Venue", count(*) AS n, median(ms) AS med, mad(ms) AS mad
                        FROM spans GROUP BY "SpanName", "Venue" HAVING count(*) >= $minSamples
                    ),
                    spread AS (
                        SELECT st.*, avg(abs(s.ms - st.med)) AS meanad
                        FROM spans s JOIN stats st ON s."SpanName" = st."SpanName" AND s."Venue" IS NOT DISTINCT FROM st."Venue"
                        GROUP BY ALL
                    )
                    """;
            query.Text = $"""
                WITH {spans},
                {baseline},
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
            return await query.ReadAsync(connection, row =>
            {
                var observation = new StageObservation(
                    row.String(SpanTable.TraceId), row.String(SpanTable.SpanId), row.String(SpanTable.SpanName), row.String(SpanTable.ServiceName),
                    row.NullableString(SpanTable.Venue), row.NullableString(SpanTable.OrderId), row.Time(SpanTable.Timestamp), row.Double("ms"));
                var stageBaseline = new StageBaseline(observation.Stage, observation.Venue, row.Int64("n"), row.Double("med"), row.Double("mad"), row.Double("meanad"));
                return new StageOutlierCandidate(observation, stageBaseline);
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
