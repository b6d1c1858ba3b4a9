using System.Data.Common;
using System.Text;
using DuckDB.NET.Data;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Analytics;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceAnalyticsStore"/> in DuckDB SQL over <c>otel_traces</c>, on the connections of a
/// <see cref="DuckDbTraceStore"/>. Every query is bounded by a time window on <c>Timestamp</c>, which the
/// row groups' zone maps turn into a scan of that window only. Percentiles are DuckDB's <c>quantile_cont</c>,
/// medians and MADs its <c>median</c> and <c>mad</c>.
/// </summary>
public sealed class DuckDbTraceAnalyticsStore(DuckDbTraceStore store) : ITraceAnalyticsStore
{
    /// <summary>How far around a window the spans of its traces are looked for (a trace's spans start within seconds of each other).</summary>
    private static readonly TimeSpan TraceSlack = TimeSpan.FromMinutes(5);

    private static readonly string StageList = string.Join(", ", PipelineStages.All.Select(Literal));

    public async Task<SpanSearchPage> SearchSpansAsync(SpanSearchCriteria criteria, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("""s."Timestamp" >= $from::TIMESTAMP_NS AND s."Timestamp" < $to::TIMESTAMP_NS""");
        Add(command, "from", DuckDbTime.ToStored(criteria.From));
        Add(command, "to", DuckDbTime.ToStored(criteria.To));
        if (criteria.Service is not null)
        {
            where.Append(""" AND s."ServiceName" = $service""");
            Add(command, "service", criteria.Service);
        }

        if (criteria.Name is not null)
        {
            where.Append(""" AND s."SpanName" = $name""");
            Add(command, "name", criteria.Name);
        }

        if (criteria.MinDurationNanos is { } min)
        {
            where.Append(""" AND s."Duration" >= $minDuration""");
            Add(command, "minDuration", min);
        }

        if (criteria.MaxDurationNanos is { } max)
        {
            where.Append(""" AND s."Duration" <= $maxDuration""");
            Add(command, "maxDuration", max);
        }

        if (criteria.StatusCode is not null)
        {
            where.Append(""" AND s."StatusCode" = $status""");
            Add(command, "status", criteria.StatusCode);
        }

        var index = 0;
        foreach (var (key, value) in criteria.Attributes ?? [])
        {
            // Materialized attributes are plain (and, for the order id, indexed) columns; the rest is JSON.
            var column = MaterializedColumn(key);
            if (column is not null)
            {
                where.Append($""" AND s."{column}" = $attrValue{index}""");
            }
            else
            {
                where.Append($""" AND json_extract_string(s."SpanAttributes", $attrPath{index}) = $attrValue{index}""");
                Add(command, $"attrPath{index}", JsonPointer(key));
            }

            Add(command, $"attrValue{index}", value);
            index++;
        }

        if (criteria.After is { } after)
        {
            where.Append("""
                 AND (s."Timestamp" < $afterTime::TIMESTAMP_NS
                   OR (s."Timestamp" = $afterTime::TIMESTAMP_NS AND (s."TraceId" < $afterTrace
                     OR (s."TraceId" = $afterTrace AND s."SpanId" < $afterSpan))))
                """);
            Add(command, "afterTime", DuckDbTime.ToStored(after.Timestamp));
            Add(command, "afterTrace", after.TraceId);
            Add(command, "afterSpan", after.SpanId);
        }

        command.CommandText = $"""
            SELECT s."Timestamp", s."TraceId", s."SpanId", s."ParentSpanId", s."SpanName", s."SpanKind", s."ServiceName",
                   s."ScopeName", s."SpanAttributes", s."Duration", s."StatusCode", s."StatusMessage"
            FROM otel_traces s
            WHERE {where}
            ORDER BY s."Timestamp" DESC, s."TraceId" DESC, s."SpanId" DESC
            LIMIT $limit
            """;
        Add(command, "limit", criteria.Limit + 1);

        var spans = new List<SpanRecord>(Math.Min(criteria.Limit + 1, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            spans.Add(new SpanRecord
            {
                Timestamp = DuckDbTime.FromStored(reader.GetDateTime(0)),
                TraceId = reader.GetString(1),
                SpanId = reader.GetString(2),
                ParentSpanId = reader.GetString(3),
                SpanName = reader.GetString(4),
                SpanKind = reader.GetString(5),
                ServiceName = reader.GetString(6),
                ScopeName = reader.GetString(7),
                SpanAttributes = AttributeJson.Deserialize(reader.GetString(8)),
                DurationNanos = reader.GetInt64(9),
                StatusCode = reader.GetString(10),
                StatusMessage = reader.GetString(11),
            });
        }

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
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = FilteredSpans(command, filter, groupBy);
        var keys = KeyColumns(groupBy);
        command.CommandText = $"""
            WITH {source}
            SELECT {keys.Select}, count(*) AS n, count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors,
                   quantile_cont(ms, [0.5, 0.95, 0.99]) AS q
            FROM spans
            GROUP BY {keys.GroupBy}
            ORDER BY {keys.GroupBy}
            """;

        var groups = new List<LatencyGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var q = reader.GetFieldValue<List<double>>(6);
            groups.Add(new LatencyGroup(ReadKey(reader), reader.GetInt64(4), reader.GetInt64(5), q[0], q[1], q[2]));
        }

        return groups;
    }

    public async Task<IReadOnlyList<LatencyBucket>> GetLatencySeriesAsync(StageFilter filter, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = FilteredSpans(command, filter, []);
        Add(command, "bucketNanos", bucket.Ticks * 100);
        command.CommandText = $"""
            WITH {source}
            SELECT (epoch_ns("Timestamp") // $bucketNanos) * $bucketNanos AS bucket, count(*) AS n,
                   count(*) FILTER (WHERE "StatusCode" = 'Error') AS errors, quantile_cont(ms, [0.5, 0.95, 0.99]) AS q
            FROM spans
            GROUP BY bucket
            ORDER BY bucket
            """;

        var buckets = new List<LatencyBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var q = reader.GetFieldValue<List<double>>(3);
            buckets.Add(new LatencyBucket(DuckDbTime.FromUnixNanos(Convert.ToInt64(reader.GetValue(0))), reader.GetInt64(1), reader.GetInt64(2), q[0], q[1], q[2]));
        }

        return buckets;
    }

    public async Task<IReadOnlyList<DurationSample>> GetDurationSamplesAsync(
        StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, int maxPerGroup, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = FilteredSpans(command, filter, groupBy);
        var keys = KeyColumns(groupBy);
        Add(command, "maxPerGroup", maxPerGroup);
        command.CommandText = $"""
            WITH {source}
            SELECT {keys.Select}, ms
            FROM spans
            QUALIFY row_number() OVER (PARTITION BY {keys.GroupBy} ORDER BY hash("SpanId")) <= $maxPerGroup
            """;

        var samples = new List<DurationSample>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new DurationSample(ReadKey(reader), reader.GetDouble(4)));
        }

        return samples;
    }

    public async Task<IReadOnlyList<TraceTimeline>> GetTraceTimelinesAsync(DateTime from, DateTime to, int maxTraces, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        Add(command, "from", DuckDbTime.ToStored(from));
        Add(command, "to", DuckDbTime.ToStored(to));
        Add(command, "slackFrom", DuckDbTime.ToStored(from - TraceSlack));
        Add(command, "slackTo", DuckDbTime.ToStored(to + TraceSlack));
        Add(command, "maxTraces", maxTraces);
        command.CommandText = """
            WITH roots AS (
                SELECT DISTINCT "TraceId" FROM otel_traces
                WHERE "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS AND "ParentSpanId" = ''
                ORDER BY hash("TraceId") LIMIT $maxTraces
            )
            SELECT s."TraceId", s."SpanId", s."ParentSpanId", s."SpanName", s."ServiceName",
                   epoch_ns(s."Timestamp") AS start_ns, s."Duration", s."StatusCode", s."Venue"
            FROM otel_traces s
            WHERE s."Timestamp" >= $slackFrom::TIMESTAMP_NS AND s."Timestamp" < $slackTo::TIMESTAMP_NS
              AND s."TraceId" IN (SELECT "TraceId" FROM roots)
            ORDER BY s."TraceId", start_ns
            """;

        var timelines = new List<TraceTimeline>();
        string? currentTrace = null;
        var spans = new List<TraceSpan>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var traceId = reader.GetString(0);
            if (traceId != currentTrace)
            {
                Flush();
                currentTrace = traceId;
            }

            var start = reader.GetInt64(5);
            spans.Add(new TraceSpan(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                start,
                start + reader.GetInt64(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        Flush();
        return timelines;

        void Flush()
        {
            if (currentTrace is null || spans.Count == 0)
            {
                return;
            }

            timelines.Add(new TraceTimeline(currentTrace, spans.FirstOrDefault(s => s.Venue is not null)?.Venue, spans.ToArray()));
            spans.Clear();
        }
    }

    public async Task<IReadOnlyList<StageOutlierCandidate>> FindStageOutliersAsync(
        StageFilter filter, double threshold, int minSamples, int limit, CancellationToken cancellationToken = default, double minExcessMs = 0)
    {
        await using var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = FilteredSpans(command, filter, []);
        Add(command, "threshold", threshold);
        Add(command, "minExcess", minExcessMs);
        Add(command, "minSamples", (long)minSamples);
        Add(command, "limit", limit);
        command.CommandText = $"""
            WITH {source},
            stats AS (
                SELECT "SpanName", "Venue", count(*) AS n, median(ms) AS med, mad(ms) AS mad
                FROM spans GROUP BY "SpanName", "Venue" HAVING count(*) >= $minSamples
            ),
            spread AS (
                SELECT s.*, st.n, st.med, st.mad,
                       avg(abs(s.ms - st.med)) OVER (PARTITION BY s."SpanName", s."Venue") AS meanad
                FROM spans s JOIN stats st ON s."SpanName" = st."SpanName" AND s."Venue" IS NOT DISTINCT FROM st."Venue"
            ),
            scored AS (
                SELECT *, CASE WHEN mad > 0 THEN {RobustStatistics.MadConsistency.ToString(System.Globalization.CultureInfo.InvariantCulture)} * (ms - med) / mad
                               WHEN meanad > 0 THEN (ms - med) / ({RobustStatistics.MeanAbsoluteDeviationConsistency.ToString(System.Globalization.CultureInfo.InvariantCulture)} * meanad)
                               ELSE 0 END AS score
                FROM spread
            )
            SELECT "TraceId", "SpanId", "SpanName", "ServiceName", "Venue", "OrderId", "Timestamp", ms, n, med, mad, meanad
            FROM scored
            WHERE score > $threshold AND ms - med >= $minExcess
            ORDER BY score DESC, "TraceId", "SpanId"
            LIMIT $limit
            """;

        var outliers = new List<StageOutlierCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var venue = reader.IsDBNull(4) ? null : reader.GetString(4);
            var observation = new StageObservation(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), venue,
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DuckDbTime.FromStored(reader.GetDateTime(6)), reader.GetDouble(7));
            var baseline = new StageBaseline(observation.Stage, venue, reader.GetInt64(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11));
            outliers.Add(new StageOutlierCandidate(observation, baseline));
        }

        return outliers;
    }

    /// <summary>
    /// A CTE <c>spans</c>: the filter's spans with their duration in ms (<c>ms</c>), and <c>venue</c>/<c>symbol</c>
    /// taken from the span itself or else from the trace (joined per trace) when grouping or filtering needs them.
    /// </summary>
    private static string FilteredSpans(DuckDBCommand command, StageFilter filter, IReadOnlyList<LatencyDimension> groupBy)
    {
        Add(command, "from", DuckDbTime.ToStored(filter.From));
        Add(command, "to", DuckDbTime.ToStored(filter.To));
        var where = new StringBuilder("""s."Timestamp" >= $from::TIMESTAMP_NS AND s."Timestamp" < $to::TIMESTAMP_NS""");
        if (filter.Name is null)
        {
            where.Append($""" AND s."SpanName" IN ({StageList})""");
        }
        else
        {
            where.Append(""" AND s."SpanName" = $name""");
            Add(command, "name", filter.Name);
        }

        if (filter.Service is not null)
        {
            where.Append(""" AND s."ServiceName" = $service""");
            Add(command, "service", filter.Service);
        }

        var needsTrace = filter.Venue is not null || groupBy.Contains(LatencyDimension.Venue) || groupBy.Contains(LatencyDimension.Symbol);
        if (!needsTrace)
        {
            return $"""
                spans AS (
                    SELECT s."TraceId", s."SpanId", s."SpanName", s."ServiceName", s."Venue", s."Symbol", s."OrderId",
                           s."Timestamp", s."StatusCode", s."Duration" / 1e6 AS ms,
                           s."Venue" AS trace_venue, s."Symbol" AS trace_symbol
                    FROM otel_traces s
                    WHERE {where}
                )
                """;
        }

        Add(command, "slackFrom", DuckDbTime.ToStored(filter.From - TraceSlack));
        Add(command, "slackTo", DuckDbTime.ToStored(filter.To + TraceSlack));
        var venueFilter = "";
        if (filter.Venue is not null)
        {
            venueFilter = "WHERE coalesce(s.\"Venue\", tv.venue) = $venue";
            Add(command, "venue", filter.Venue);
        }

        return $"""
            trace_tags AS (
                SELECT "TraceId",
                       arg_min("Venue", "Timestamp") FILTER (WHERE "Venue" IS NOT NULL) AS venue,
                       arg_min("Symbol", "Timestamp") FILTER (WHERE "Symbol" IS NOT NULL) AS symbol
                FROM otel_traces
                WHERE "Timestamp" >= $slackFrom::TIMESTAMP_NS AND "Timestamp" < $slackTo::TIMESTAMP_NS
                  AND ("Venue" IS NOT NULL OR "Symbol" IS NOT NULL)
                GROUP BY "TraceId"
            ),
            spans AS (
                SELECT s."TraceId", s."SpanId", s."SpanName", s."ServiceName", s."Venue", s."Symbol", s."OrderId",
                       s."Timestamp", s."StatusCode", s.ms,
                       coalesce(s."Venue", tv.venue) AS trace_venue, coalesce(s."Symbol", tv.symbol) AS trace_symbol
                FROM (SELECT *, "Duration" / 1e6 AS ms FROM otel_traces s WHERE {where}) s
                LEFT JOIN trace_tags tv ON tv."TraceId" = s."TraceId"
                {venueFilter}
            )
            """;
    }

    /// <summary>The four key columns (stage, service, venue, symbol), NULL for those not grouped by.</summary>
    private static (string Select, string GroupBy) KeyColumns(IReadOnlyList<LatencyDimension> groupBy)
    {
        string Column(LatencyDimension dimension, string expression) =>
            groupBy.Contains(dimension) ? expression : "NULL::VARCHAR";

        var select = string.Join(", ",
            Column(LatencyDimension.Stage, "\"SpanName\"") + " AS k_stage",
            Column(LatencyDimension.Service, "\"ServiceName\"") + " AS k_service",
            Column(LatencyDimension.Venue, "trace_venue") + " AS k_venue",
            Column(LatencyDimension.Symbol, "trace_symbol") + " AS k_symbol");
        return (select, "k_stage, k_service, k_venue, k_symbol");
    }

    private static LatencyKey ReadKey(DbDataReader reader)
    {
        string? Value(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        return new LatencyKey(Value(0), Value(1), Value(2), Value(3));
    }

    private static string? MaterializedColumn(string attributeKey) => attributeKey switch
    {
        TradingAttributes.OrderId => "OrderId",
        TradingAttributes.Venue => "Venue",
        TradingAttributes.Symbol => "Symbol",
        _ => null,
    };

    /// <summary>RFC 6901 pointer to a top-level key, so that any key (dots, quotes, slashes) is matched literally.</summary>
    private static string JsonPointer(string key) => "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Add(DuckDBCommand command, string name, object? value) => command.Parameters.Add(new DuckDBParameter(name, value));
}
