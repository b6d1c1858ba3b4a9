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
                           s."Timestamp", s."StatusCode", s."Duration" / 1e6 AS ms,
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
                       s."Timestamp", s."StatusCode", s.ms,
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
