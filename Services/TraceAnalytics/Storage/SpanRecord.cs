using System.Text.Json.Serialization;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// One stored span, storage-neutral and shaped like a row of the OpenTelemetry Collector ClickHouse
/// exporter's <c>otel_traces</c> table: ids are lower-case hex, kinds and status codes are the
/// collector's strings ("Server", "Error", ...), attribute values are rendered as strings.
/// </summary>
public sealed record SpanRecord
{
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    /// <summary>Start of the span, UTC.</summary>
    public required DateTime Timestamp { get; init; }
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }
    /// <summary>Empty for a root span.</summary>
    public string ParentSpanId { get; init; } = "";
    public string TraceState { get; init; } = "";
    public string SpanName { get; init; } = "";
    /// <summary>Unspecified, Internal, Server, Client, Producer or Consumer.</summary>
    public string SpanKind { get; init; } = SpanKinds.Unspecified;
    public string ServiceName { get; init; } = "";
    public IReadOnlyDictionary<string, string> ResourceAttributes { get; init; } = NoAttributes;
    public string ScopeName { get; init; } = "";
    public string ScopeVersion { get; init; } = "";
    public IReadOnlyDictionary<string, string> SpanAttributes { get; init; } = NoAttributes;
    /// <summary>End minus start in nanoseconds (0 when the end precedes the start).</summary>
    public long DurationNanos { get; init; }
    /// <summary>Unset, Ok or Error.</summary>
    public string StatusCode { get; init; } = StatusCodes.Unset;
    public string StatusMessage { get; init; } = "";
    public IReadOnlyList<SpanEventRecord> Events { get; init; } = [];
    public IReadOnlyList<SpanLinkRecord> Links { get; init; } = [];

    /// <summary>
    /// How many traces this span's trace stands for: 1, or 1/KeepShare when tail sampling kept it as a share of the
    /// ordinary traces (<c>Sampling/</c>); weighted statistics count it that many times.
    /// </summary>
    public double SampleWeight { get; init; } = 1;

    /// <summary>
    /// The span as received over OTLP, set only while the forwarder needs it to re-send kept traces as received
    /// (<c>Forwarding/</c>); never stored, never serialized.
    /// </summary>
    [JsonIgnore]
    public ReceivedSpan? Received { get; init; }

    /// <summary>The span's <c>trading.order_id</c> attribute, materialized for lookups; null when absent.</summary>
    public string? OrderId => Attribute(TradingAttributes.OrderId);

    /// <summary>The span's own <c>trading.venue</c>, materialized for grouping; null when absent.</summary>
    public string? Venue => Attribute(TradingAttributes.Venue);

    /// <summary>The span's own <c>trading.symbol</c>, materialized for grouping; null when absent.</summary>
    public string? Symbol => Attribute(TradingAttributes.Symbol);

    public DateTime EndTimestamp => Timestamp.AddTicks(DurationNanos / 100);

    private string? Attribute(string key) =>
        SpanAttributes.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>Span kind names as the collector writes them.</summary>
    public static class SpanKinds
    {
        public const string Unspecified = "Unspecified";
        public const string Internal = "Internal";
        public const string Server = "Server";
        public const string Client = "Client";
        public const string Producer = "Producer";
        public const string Consumer = "Consumer";
    }

    /// <summary>Status code names as the collector writes them.</summary>
    public static class StatusCodes
    {
        public const string Unset = "Unset";
        public const string Ok = "Ok";
        public const string Error = "Error";
    }
}

/// <summary>A timestamped event recorded on a span (exceptions, messages, ...).</summary>
public sealed record SpanEventRecord(DateTime Timestamp, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>A link from a span to another span, possibly of another trace.</summary>
public sealed record SpanLinkRecord(string TraceId, string SpanId, string TraceState, IReadOnlyDictionary<string, string> Attributes);
