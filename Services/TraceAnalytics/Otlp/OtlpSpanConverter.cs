using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using TradingAspire.TraceAnalytics.Storage;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>What became of a request's spans: the rows to store and the spans refused, with why.</summary>
public sealed record OtlpConversion(IReadOnlyList<SpanRecord> Spans, int RejectedSpans, string ErrorMessage);

/// <summary>
/// Flattens an <see cref="ExportTraceServiceRequest"/> into <see cref="SpanRecord"/> rows. Every span is
/// kept whatever SDK sent it and whatever its attributes; only spans without a valid identity
/// (trace id 16 bytes, span id 8 bytes, neither all zeroes; parent span id empty or 8 bytes) are refused.
/// With <c>keepReceived</c>, each row also holds its span as received (<see cref="ReceivedSpan"/>) for the forwarder.
/// </summary>
public static class OtlpSpanConverter
{
    public const string ServiceNameAttribute = "service.name";
    private const int MaxReasonsReported = 5;

    public static OtlpConversion Convert(ExportTraceServiceRequest request, bool keepReceived = false)
    {
        var spans = new List<SpanRecord>();
        var rejected = 0;
        var reasons = new List<string>();

        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resourceAttributes = resourceSpans.Resource is { } resource
                ? AttributeValueFormatter.ToDictionary(resource.Attributes)
                : new Dictionary<string, string>();
            var serviceName = resourceAttributes.GetValueOrDefault(ServiceNameAttribute, "");

            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scopeName = scopeSpans.Scope?.Name ?? "";
                var scopeVersion = scopeSpans.Scope?.Version ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    var problem = FindIdentityProblem(span);
                    if (problem is not null)
                    {
                        rejected++;
                        if (reasons.Count < MaxReasonsReported)
                        {
                            reasons.Add($"span '{span.Name}': {problem}");
                        }

                        continue;
                    }

                    spans.Add(new SpanRecord
                    {
                        Timestamp = FromUnixNanos(span.StartTimeUnixNano),
                        TraceId = ToHex(span.TraceId),
                        SpanId = ToHex(span.SpanId),
                        ParentSpanId = ToHex(span.ParentSpanId),
                        TraceState = span.TraceState,
                        SpanName = span.Name,
                        SpanKind = KindName(span.Kind),
                        ServiceName = serviceName,
                        ResourceAttributes = resourceAttributes,
                        ScopeName = scopeName,
                        ScopeVersion = scopeVersion,
                        SpanAttributes = AttributeValueFormatter.ToDictionary(span.Attributes),
                        DurationNanos = Duration(span.StartTimeUnixNano, span.EndTimeUnixNano),
                        StatusCode = StatusName(span.Status?.Code ?? Status.Types.StatusCode.Unset),
                        StatusMessage = span.Status?.Message ?? "",
                        Events = span.Events.Select(e => new SpanEventRecord(
                            FromUnixNanos(e.TimeUnixNano), e.Name, AttributeValueFormatter.ToDictionary(e.Attributes))).ToArray(),
                        Links = span.Links.Select(l => new SpanLinkRecord(
                            ToHex(l.TraceId), ToHex(l.SpanId), l.TraceState, AttributeValueFormatter.ToDictionary(l.Attributes))).ToArray(),
                        Received = keepReceived ? new ReceivedSpan(resourceSpans, scopeSpans, span) : null,
                    });
                }
            }
        }

        var message = rejected == 0
            ? ""
            : $"{rejected} span(s) rejected: {string.Join("; ", reasons)}{(rejected > reasons.Count ? "; ..." : "")}";
        return new OtlpConversion(spans, rejected, message);
    }

    /// <summary>The answer OTLP expects: partial_success only when spans were refused.</summary>
    public static ExportTraceServiceResponse ToResponse(OtlpConversion conversion) =>
        conversion.RejectedSpans == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse
            {
                PartialSuccess = new ExportTracePartialSuccess
                {
                    RejectedSpans = conversion.RejectedSpans,
                    ErrorMessage = conversion.ErrorMessage,
                },
            };

    /// <summary>Whether the span has a valid identity (what <see cref="Convert"/> stores; the rest it refuses).</summary>
    public static bool HasValidIdentity(OtlpSpan span) => FindIdentityProblem(span) is null;

    private static string? FindIdentityProblem(OtlpSpan span)
    {
        if (span.TraceId.Length != 16)
        {
            return $"trace id must be 16 bytes, got {span.TraceId.Length}";
        }

        if (IsAllZero(span.TraceId))
        {
            return "trace id is all zeroes";
        }

        if (span.SpanId.Length != 8)
        {
            return $"span id must be 8 bytes, got {span.SpanId.Length}";
        }

        if (IsAllZero(span.SpanId))
        {
            return "span id is all zeroes";
        }

        if (span.ParentSpanId.Length is not (0 or 8))
        {
            return $"parent span id must be empty or 8 bytes, got {span.ParentSpanId.Length}";
        }

        return null;
    }

    private static bool IsAllZero(ByteString bytes) => !bytes.Span.ContainsAnyExcept((byte)0);

    private static string ToHex(ByteString bytes) => bytes.IsEmpty ? "" : System.Convert.ToHexStringLower(bytes.Span);

    // Ticks are 100 ns; ulong.MaxValue nanoseconds (year 2554) still fits a DateTime.
    private static DateTime FromUnixNanos(ulong nanos) => DateTime.UnixEpoch.AddTicks((long)(nanos / 100));

    private static long Duration(ulong start, ulong end) => end <= start ? 0 : (long)Math.Min(end - start, long.MaxValue);

    private static string KindName(OtlpSpan.Types.SpanKind kind) => kind switch
    {
        OtlpSpan.Types.SpanKind.Internal => SpanRecord.SpanKinds.Internal,
        OtlpSpan.Types.SpanKind.Server => SpanRecord.SpanKinds.Server,
        OtlpSpan.Types.SpanKind.Client => SpanRecord.SpanKinds.Client,
        OtlpSpan.Types.SpanKind.Producer => SpanRecord.SpanKinds.Producer,
        OtlpSpan.Types.SpanKind.Consumer => SpanRecord.SpanKinds.Consumer,
        _ => SpanRecord.SpanKinds.Unspecified,
    };

    private static string StatusName(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => SpanRecord.StatusCodes.Ok,
        Status.Types.StatusCode.Error => SpanRecord.StatusCodes.Error,
        _ => SpanRecord.StatusCodes.Unset,
    };
}
