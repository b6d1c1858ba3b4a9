using OpenTelemetry.Proto.Trace.V1;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>
/// A span as it arrived over OTLP, with the resource and scope it came under: the decoded export's own protobuf
/// objects, shared and never modified. Kept beside a <see cref="Storage.SpanRecord"/> only while the forwarder
/// needs it (mode <c>kept</c> with tail sampling on), so a kept trace is re-sent exactly as received: typed
/// attribute values, scope attributes, flags, dropped counts, nanosecond timestamps — all that the row does not keep.
/// </summary>
public sealed record ReceivedSpan(ResourceSpans Resource, ScopeSpans Scope, OtlpSpan Span);
