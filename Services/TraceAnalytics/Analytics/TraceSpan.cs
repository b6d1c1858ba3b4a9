namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>The timing and shape of one span, all a critical path needs. Times are nanoseconds since the Unix epoch.</summary>
public sealed record TraceSpan(
    string SpanId,
    string? ParentSpanId,
    string Name,
    string ServiceName,
    long StartNanos,
    long EndNanos,
    string StatusCode = "Unset",
    string? Venue = null)
{
    public long DurationNanos => Math.Max(0, EndNanos - StartNanos);
}
