using System.Globalization;
using System.Text.Json.Serialization;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>The JSON the Jaeger UI loads from a file ("JSON File" upload): <c>{"data":[trace]}</c>.</summary>
public sealed record JaegerDocument([property: JsonPropertyName("data")] IReadOnlyList<JaegerTrace> Data);

public sealed record JaegerTrace(
    [property: JsonPropertyName("traceID")] string TraceId,
    [property: JsonPropertyName("spans")] IReadOnlyList<JaegerSpan> Spans,
    [property: JsonPropertyName("processes")] IReadOnlyDictionary<string, JaegerProcess> Processes,
    [property: JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Warnings);

public sealed record JaegerSpan(
    [property: JsonPropertyName("traceID")] string TraceId,
    [property: JsonPropertyName("spanID")] string SpanId,
    [property: JsonPropertyName("operationName")] string OperationName,
    [property: JsonPropertyName("references")] IReadOnlyList<JaegerReference> References,
    [property: JsonPropertyName("startTime")] long StartTime,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("tags")] IReadOnlyList<JaegerTag> Tags,
    [property: JsonPropertyName("logs")] IReadOnlyList<JaegerLog> Logs,
    [property: JsonPropertyName("processID")] string ProcessId,
    [property: JsonPropertyName("warnings"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Warnings);

public sealed record JaegerReference(
    [property: JsonPropertyName("refType")] string RefType,
    [property: JsonPropertyName("traceID")] string TraceId,
    [property: JsonPropertyName("spanID")] string SpanId);

/// <summary>A typed tag; <see cref="Value"/> is a string, bool, long or double as <see cref="Type"/> says.</summary>
public sealed record JaegerTag(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] object Value);

public sealed record JaegerLog(
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("fields")] IReadOnlyList<JaegerTag> Fields);

public sealed record JaegerProcess(
    [property: JsonPropertyName("serviceName")] string ServiceName,
    [property: JsonPropertyName("tags")] IReadOnlyList<JaegerTag> Tags);

/// <summary>
/// Converts stored spans to Jaeger's JSON model the way Jaeger's own OTLP translator does: times in
/// microseconds since the epoch, the parent as a CHILD_OF reference (links as FOLLOWS_FROM), span events
/// as logs (the name in an <c>event</c> field), kind and status as <c>span.kind</c>, <c>otel.status_code</c>,
/// <c>otel.status_description</c> and <c>error=true</c> tags, one process per service and resource.
/// Attribute values are stored as text, so tag types are recovered from it: true/false are bool,
/// integers and numbers that print back the same are int64 and float64 (so 0042 stays a string), the rest string.
/// </summary>
public static class JaegerTraceConverter
{
    public static JaegerDocument Convert(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        var processes = new Dictionary<string, JaegerProcess>(StringComparer.Ordinal);
        var processIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var jaegerSpans = new List<JaegerSpan>(spans.Count);
        foreach (var span in spans.OrderBy(s => s.Timestamp).ThenBy(s => s.SpanId, StringComparer.Ordinal))
        {
            var processKey = span.ServiceName + "\n" + AttributeJson.Serialize(span.ResourceAttributes);
            if (!processIds.TryGetValue(processKey, out var processId))
            {
                processId = $"p{processIds.Count + 1}";
                processIds[processKey] = processId;
                processes[processId] = new JaegerProcess(
                    span.ServiceName.Length > 0 ? span.ServiceName : "unknown_service",
                    span.ResourceAttributes
                        .Where(a => a.Key != OtlpSpanConverter.ServiceNameAttribute)
                        .OrderBy(a => a.Key, StringComparer.Ordinal)
                        .Select(a => Tag(a.Key, a.Value))
                        .ToArray());
            }

            var references = new List<JaegerReference>();
            if (span.ParentSpanId.Length > 0)
            {
                references.Add(new JaegerReference("CHILD_OF", span.TraceId, span.ParentSpanId));
            }

            references.AddRange(span.Links.Select(l => new JaegerReference("FOLLOWS_FROM", l.TraceId, l.SpanId)));

            jaegerSpans.Add(new JaegerSpan(
                span.TraceId,
                span.SpanId,
                span.SpanName,
                references,
                Microseconds(span.Timestamp),
                span.DurationNanos / 1000,
                SpanTags(span),
                span.Events.Select(e => new JaegerLog(
                    Microseconds(e.Timestamp),
                    [new JaegerTag("event", "string", e.Name), .. e.Attributes.Select(a => Tag(a.Key, a.Value))])).ToArray(),
                processId,
                null));
        }

        return new JaegerDocument([new JaegerTrace(traceId, jaegerSpans, processes, null)]);
    }

    /// <summary>A tag whose type is recovered from the stored text.</summary>
    public static JaegerTag Tag(string key, string value)
    {
        if (value is "true" or "false")
        {
            return new JaegerTag(key, "bool", value == "true");
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            && integer.ToString(CultureInfo.InvariantCulture) == value)
        {
            return new JaegerTag(key, "int64", integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            && number.ToString("R", CultureInfo.InvariantCulture) == value)
        {
            return new JaegerTag(key, "float64", number);
        }

        return new JaegerTag(key, "string", value);
    }

    private static IReadOnlyList<JaegerTag> SpanTags(SpanRecord span)
    {
        var tags = span.SpanAttributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => Tag(a.Key, a.Value)).ToList();
        if (span.SpanKind != SpanRecord.SpanKinds.Unspecified)
        {
            tags.Add(new JaegerTag("span.kind", "string", span.SpanKind.ToLowerInvariant()));
        }

        if (span.StatusCode != SpanRecord.StatusCodes.Unset)
        {
            tags.Add(new JaegerTag("otel.status_code", "string", span.StatusCode.ToUpperInvariant()));
        }

        if (span.StatusMessage.Length > 0)
        {
            tags.Add(new JaegerTag("otel.status_description", "string", span.StatusMessage));
        }

        if (span.StatusCode == SpanRecord.StatusCodes.Error)
        {
            tags.Add(new JaegerTag("error", "bool", true));
        }

        if (span.ScopeName.Length > 0)
        {
            tags.Add(new JaegerTag("otel.scope.name", "string", span.ScopeName));
        }

        if (span.ScopeVersion.Length > 0)
        {
            tags.Add(new JaegerTag("otel.scope.version", "string", span.ScopeVersion));
        }

        return tags;
    }

    private static long Microseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
