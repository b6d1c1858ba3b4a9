namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// Reads a <see cref="SpanRecord"/> from a row of <see cref="SpanTable"/>, by column name. A query may select
/// fewer columns (the span search leaves out events, links and resource attributes): those the result lacks
/// keep their empty values. The one place that turns rows into spans.
/// </summary>
internal static class SpanRows
{
    public static SpanRecord Read(DuckDbRow row) => new()
    {
        Timestamp = row.Time(SpanTable.Timestamp),
        TraceId = row.String(SpanTable.TraceId),
        SpanId = row.String(SpanTable.SpanId),
        ParentSpanId = row.String(SpanTable.ParentSpanId),
        TraceState = Optional(row, SpanTable.TraceState),
        SpanName = row.String(SpanTable.SpanName),
        SpanKind = row.String(SpanTable.SpanKind),
        ServiceName = row.String(SpanTable.ServiceName),
        ResourceAttributes = AttributeJson.Deserialize(Optional(row, SpanTable.ResourceAttributes)),
        ScopeName = row.String(SpanTable.ScopeName),
        ScopeVersion = Optional(row, SpanTable.ScopeVersion),
        SpanAttributes = AttributeJson.Deserialize(row.String(SpanTable.SpanAttributes)),
        DurationNanos = row.Int64(SpanTable.Duration),
        StatusCode = row.String(SpanTable.StatusCode),
        StatusMessage = row.String(SpanTable.StatusMessage),
        Events = row.Has(SpanTable.EventNames) ? ReadEvents(row) : [],
        Links = row.Has(SpanTable.LinkTraceIds) ? ReadLinks(row) : [],
        SampleWeight = row.Has(SpanTable.SampleWeight) && !row.IsNull(SpanTable.SampleWeight) ? row.Double(SpanTable.SampleWeight) : 1,
    };

    private static string Optional(DuckDbRow row, string column) => row.Has(column) ? row.String(column) : "";

    private static SpanEventRecord[] ReadEvents(DuckDbRow row)
    {
        var times = row.List<DateTime>(SpanTable.EventTimestamps);
        var names = row.List<string>(SpanTable.EventNames);
        var attributes = row.List<string>(SpanTable.EventAttributes);
        var events = new SpanEventRecord[names.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new SpanEventRecord(DuckDbTime.FromStored(times[i]), names[i], AttributeJson.Deserialize(attributes[i]));
        }

        return events;
    }

    private static SpanLinkRecord[] ReadLinks(DuckDbRow row)
    {
        var traceIds = row.List<string>(SpanTable.LinkTraceIds);
        var spanIds = row.List<string>(SpanTable.LinkSpanIds);
        var states = row.List<string>(SpanTable.LinkTraceStates);
        var attributes = row.List<string>(SpanTable.LinkAttributes);
        var links = new SpanLinkRecord[traceIds.Count];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = new SpanLinkRecord(traceIds[i], spanIds[i], states[i], AttributeJson.Deserialize(attributes[i]));
        }

        return links;
    }
}
