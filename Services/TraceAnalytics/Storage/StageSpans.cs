using TradingAspire.TraceAnalytics.Analytics;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The SQL the stage statistics share: a CTE <c>spans</c> holding a <see cref="StageFilter"/>'s spans, the
/// grouping key columns over it, and the percentile list; and reading those back from a row.
/// </summary>
internal static class StageSpans
{
    /// <summary>How far around a window the spans of its traces are looked for (a trace's spans start within seconds of each other).</summary>
    public static readonly TimeSpan TraceSlack = TimeSpan.FromMinutes(5);

    /// <summary>p50, p95 and p99 of <c>ms</c> as one list column <c>q</c>; read with <see cref="ReadPercentiles"/>.</summary>
    public const string Percentiles = "quantile_cont(ms, [0.5, 0.95, 0.99]) AS q";

    /// <summary>
    /// Whether any span in the filter's window carries a sample weight above 1 (tail sampling kept it as a share of
    /// the ordinary traces). Cheap: the row groups' min/max on <c>SampleWeight</c> skip those written unsampled.
    /// </summary>
    public static DuckDbQuery HasWeights(StageFilter filter) =>
        new DuckDbQuery($"""
                SELECT EXISTS (SELECT 1 FROM {SpanTable.Name}
                               WHERE "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS AND "SampleWeight" > 1)
                """)
            .BindTime("from", filter.From).BindTime("to", filter.To);

    /// <summary>
    /// A CTE <c>ranked</c> over <paramref name="source"/> (which has <c>ms</c> and the weight <c>w</c>): each row's running
    /// weight <c>cum</c> in duration order and its partition's total weight <c>total</c>, per <paramref name="partition"/>,
    /// for <see cref="WeightedPercentiles"/>.
    /// </summary>
    public static string Ranked(string source, string partition) => $"""
        ranked AS (
            SELECT *, sum(w) OVER (PARTITION BY {partition} ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
                      sum(w) OVER (PARTITION BY {partition}) AS total
            FROM {source}
        )
        """;

    /// <summary>
    /// p50, p95 and p99 as one list column <c>q</c> over <see cref="Ranked"/> rows, weighted: a span of weight w counts
    /// as w spans of its duration, and the percentile is <c>quantile_cont</c>'s linear interpolation at position
    /// (W − 1)·p of that expanded sample (W the total weight). With every weight 1 it is exactly <see cref="Percentiles"/>.
    /// </summary>
    public static readonly string WeightedPercentiles =
        "[" + string.Join(", ", new[] { "0.5", "0.95", "0.99" }.Select(WeightedPercentile)) + "] AS q";

    /// <summary>Weighted span count and error count (estimates of what was exported when sampled), as <c>n</c> and <c>errors</c>.</summary>
    public const string WeightedCounts =
        """CAST(round(sum(w)) AS BIGINT) AS n, CAST(round(coalesce(sum(w) FILTER (WHERE "StatusCode" = 'Error'), 0)) AS BIGINT) AS errors""";

    /// <summary>The weighted percentile <paramref name="p"/> (e.g. "0.5") of <c>ms</c> over <see cref="Ranked"/> rows, in a GROUP BY.</summary>
    public static string WeightedPercentile(string p)
    {
        var rank = $"floor((total - 1) * {p})";
        var lower = $"min(ms) FILTER (WHERE cum > {rank})";
        var upper = $"coalesce(min(ms) FILTER (WHERE cum > {rank} + 1), {lower})";
        var fraction = $"((any_value(total) - 1) * {p} - floor((any_value(total) - 1) * {p}))";
        return $"({lower} + ({upper} - {lower}) * {fraction})";
    }

    /// <summary>The four key columns (stage, service, venue, symbol), NULL for those not grouped by; and the GROUP BY list.</summary>
    public const string KeyList = "k_stage, k_service, k_venue, k_symbol";

    private static readonly string StageList = string.Join(", ", PipelineStages.All.Select(Literal));

    /// <summary>
    /// A CTE <c>spans</c>: the filter's spans with their duration in ms (<c>ms</c>), and <c>trace_venue</c>/<c>trace_symbol</c>
    /// taken from the span itself or else from the trace (joined per trace) when grouping or filtering needs them.
    /// Binds its parameters on <paramref name="query"/>.
    /// </summary>
    public static string Define(DuckDbQuery query, StageFilter filter, IReadOnlyList<LatencyDimension> groupBy)
    {
        query.BindTime("from", filter.From).BindTime("to", filter.To);
        var where = $"""s."Timestamp" >= $from::TIMESTAMP_NS AND s."Timestamp" < $to::TIMESTAMP_NS""";
        if (filter.Name is null)
        {
            where += $""" AND s."SpanName" IN ({StageList})""";
        }
        else
        {
            where += """ AND s."SpanName" = $name""";
            query.Bind("name", filter.Name);
        }

        if (filter.Service is not null)
        {
            where += """ AND s."ServiceName" = $service""";
            query.Bind("service", filter.Service);
        }

        var needsTrace = filter.Venue is not null || groupBy.Contains(LatencyDimension.Venue) || groupBy.Contains(LatencyDimension.Symbol);
        if (!needsTrace)
        {
            return $"""
                spans AS (
                    SELECT s."TraceId", s."SpanId", s."SpanName", s."ServiceName", s."Venue", s."Symbol", s."OrderId",
                           s."Timestamp", s."StatusCode", s."Duration" / 1e6 AS ms, s."SampleWeight" AS w,
                           s."Venue" AS trace_venue, s."Symbol" AS trace_symbol
                    FROM {SpanTable.Name} s
                    WHERE {where}
                )
                """;
        }

        query.BindTime("slackFrom", filter.From - TraceSlack).BindTime("slackTo", filter.To + TraceSlack);
        var venueFilter = "";
        if (filter.Venue is not null)
        {
            venueFilter = "WHERE coalesce(s.\"Venue\", tv.venue) = $venue";
            query.Bind("venue", filter.Venue);
        }

        return $"""
            trace_tags AS (
                SELECT "TraceId",
                       arg_min("Venue", "Timestamp") FILTER (WHERE "Venue" IS NOT NULL) AS venue,
                       arg_min("Symbol", "Timestamp") FILTER (WHERE "Symbol" IS NOT NULL) AS symbol
                FROM {SpanTable.Name}
                WHERE "Timestamp" >= $slackFrom::TIMESTAMP_NS AND "Timestamp" < $slackTo::TIMESTAMP_NS
                  AND ("Venue" IS NOT NULL OR "Symbol" IS NOT NULL)
                GROUP BY "TraceId"
            ),
            spans AS (
                SELECT s."TraceId", s."SpanId", s."SpanName", s."ServiceName", s."Venue", s."Symbol", s."OrderId",
                       s."Timestamp", s."StatusCode", s.ms, s."SampleWeight" AS w,
                       coalesce(s."Venue", tv.venue) AS trace_venue, coalesce(s."Symbol", tv.symbol) AS trace_symbol
                FROM (SELECT *, "Duration" / 1e6 AS ms FROM {SpanTable.Name} s WHERE {where}) s
                LEFT JOIN trace_tags tv ON tv."TraceId" = s."TraceId"
                {venueFilter}
            )
            """;
    }

    /// <summary>The select list of the key columns named in <see cref="KeyList"/>.</summary>
    public static string KeyColumns(IReadOnlyList<LatencyDimension> groupBy)
    {
        string Column(LatencyDimension dimension, string expression) =>
            groupBy.Contains(dimension) ? expression : "NULL::VARCHAR";

        return string.Join(", ",
            Column(LatencyDimension.Stage, "\"SpanName\"") + " AS k_stage",
            Column(LatencyDimension.Service, "\"ServiceName\"") + " AS k_service",
            Column(LatencyDimension.Venue, "trace_venue") + " AS k_venue",
            Column(LatencyDimension.Symbol, "trace_symbol") + " AS k_symbol");
    }

    public static LatencyKey ReadKey(DuckDbRow row) =>
        new(row.NullableString("k_stage"), row.NullableString("k_service"), row.NullableString("k_venue"), row.NullableString("k_symbol"));

    public static (double P50, double P95, double P99) ReadPercentiles(DuckDbRow row)
    {
        var q = row.List<double>("q");
        return (q[0], q[1], q[2]);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
