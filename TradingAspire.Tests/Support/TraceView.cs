using System.Text.Json;

namespace TradingAspire.Tests.Support;

/// <summary>A span as the trace store returns it.</summary>
public sealed record SpanView(
    string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string ServiceName,
    DateTimeOffset StartTime, double DurationMs, string StatusCode, IReadOnlyDictionary<string, string> Attributes)
{
    public IReadOnlyList<string> Events { get; init; } = [];

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}

/// <summary>A trace read back from the trace store (GET /api/orders/{id}/trace).</summary>
public sealed record TraceView(string TraceId, IReadOnlyList<SpanView> Spans)
{
    public static TraceView Parse(JsonElement json)
    {
        var spans = json.GetProperty("spans").EnumerateArray().Select(s => new SpanView(
            s.GetProperty("traceId").GetString()!,
            s.GetProperty("spanId").GetString()!,
            s.TryGetProperty("parentSpanId", out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } parent ? parent : null,
            s.GetProperty("name").GetString()!,
            s.GetProperty("kind").GetString()!,
            s.GetProperty("serviceName").GetString()!,
            s.GetProperty("startTime").GetDateTimeOffset(),
            s.GetProperty("durationMs").GetDouble(),
            s.GetProperty("statusCode").GetString()!,
            s.GetProperty("attributes").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString()! : a.Value.ToString()))
        {
            Events = s.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
                ? events.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList()
                : [],
        }).ToList();
        return new TraceView(json.GetProperty("traceId").GetString()!, spans);
    }

    public IReadOnlySet<string> Services => Spans.Select(s => s.ServiceName).ToHashSet();

    public bool Has(string spanName) => Spans.Any(s => s.Name == spanName);

    /// <summary>
    /// Every service's part of a filled order has arrived (each service exports its own spans, in its own
    /// batches, so one service's spans can be stored before another's).
    /// </summary>
    public bool IsCompleteFill =>
        Has("order.receive") && Has("risk.check") && Has("order.route") && Has("venue.match") && Has("order.notify") && Spans.Any(s => s.ParentSpanId is null);

    public SpanView First(string spanName) =>
        Spans.Where(s => s.Name == spanName).OrderBy(s => s.StartTime).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"No span '{spanName}' in trace {TraceId}; spans: {string.Join(", ", Spans.Select(s => $"{s.ServiceName}:{s.Name}"))}");

    /// <summary>Spans whose parent is not in the trace (the root excepted).</summary>
    public IReadOnlyList<SpanView> Orphans()
    {
        var ids = Spans.Select(s => s.SpanId).ToHashSet();
        return Spans.Where(s => s.ParentSpanId is not null && !ids.Contains(s.ParentSpanId)).ToList();
    }

    public string Describe() =>
        string.Join(Environment.NewLine, Spans.OrderBy(s => s.StartTime)
            .Select(s => $"{s.StartTime:HH:mm:ss.fff} {s.ServiceName,-12} {s.Name,-28} {s.DurationMs,8:0.000} ms {s.StatusCode}"));
}
