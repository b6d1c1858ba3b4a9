using System.Text;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The statement behind <see cref="ITraceAnalyticsStore.SearchSpansAsync"/>: the criteria as a WHERE clause over
/// one time window, newest first, one row more than the page (so the caller knows whether another page follows).
/// </summary>
internal static class SpanSearchQuery
{
    public static DuckDbQuery Build(SpanSearchCriteria criteria)
    {
        var query = new DuckDbQuery().BindTime("from", criteria.From).BindTime("to", criteria.To);
        var where = new StringBuilder("""s."Timestamp" >= $from::TIMESTAMP_NS AND s."Timestamp" < $to::TIMESTAMP_NS""");
        void Compare(string column, string comparison, string parameter, object? value)
        {
            if (value is not null)
            {
                where.Append($""" AND s."{column}" {comparison} ${parameter}""");
                query.Bind(parameter, value);
            }
        }

        Compare(SpanTable.ServiceName, "=", "service", criteria.Service);
        Compare(SpanTable.SpanName, "=", "name", criteria.Name);
        Compare(SpanTable.Duration, ">=", "minDuration", criteria.MinDurationNanos);
        Compare(SpanTable.Duration, "<=", "maxDuration", criteria.MaxDurationNanos);
        Compare(SpanTable.StatusCode, "=", "status", criteria.StatusCode);

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
                query.Bind($"attrPath{index}", JsonPointer(key));
            }

            query.Bind($"attrValue{index}", value);
            index++;
        }

        if (criteria.After is { } after)
        {
            where.Append("""
                 AND (s."Timestamp" < $afterTime::TIMESTAMP_NS
                   OR (s."Timestamp" = $afterTime::TIMESTAMP_NS AND (s."TraceId" < $afterTrace
                     OR (s."TraceId" = $afterTrace AND s."SpanId" < $afterSpan))))
                """);
            query.BindTime("afterTime", after.Timestamp).Bind("afterTrace", after.TraceId).Bind("afterSpan", after.SpanId);
        }

        query.Text = $"""
            SELECT s."Timestamp", s."TraceId", s."SpanId", s."ParentSpanId", s."SpanName", s."SpanKind", s."ServiceName",
                   s."ScopeName", s."SpanAttributes", s."Duration", s."StatusCode", s."StatusMessage"
            FROM {SpanTable.Name} s
            WHERE {where}
            ORDER BY s."Timestamp" DESC, s."TraceId" DESC, s."SpanId" DESC
            LIMIT $limit
            """;
        return query.Bind("limit", criteria.Limit + 1);
    }

    private static string? MaterializedColumn(string attributeKey) => attributeKey switch
    {
        TradingAttributes.OrderId => SpanTable.OrderId,
        TradingAttributes.Venue => SpanTable.Venue,
        TradingAttributes.Symbol => SpanTable.Symbol,
        _ => null,
    };

    /// <summary>RFC 6901 pointer to a top-level key, so that any key (dots, quotes, slashes) is matched literally.</summary>
    private static string JsonPointer(string key) => "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
