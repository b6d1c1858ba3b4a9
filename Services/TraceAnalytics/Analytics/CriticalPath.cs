namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>What the path is doing during a segment.</summary>
public enum PathSegmentKind
{
    /// <summary>The span itself is running, none of its children on the path.</summary>
    Self,
    /// <summary>The span has ended but the work it started has not begun yet (e.g. a message waiting in a stream).</summary>
    Wait,
    /// <summary>No span of the trace covers this time (between two root spans).</summary>
    Gap,
}

public sealed record CriticalPathSegment(string? SpanId, string Name, string ServiceName, string Stage, PathSegmentKind Kind, long StartNanos, long EndNanos)
{
    public long DurationNanos => EndNanos - StartNanos;
}

/// <summary>A span on the critical path.</summary>
/// <param name="Stage">The span's name when it is a stage, else the nearest stage above it, else its own name.</param>
/// <param name="OnPathNanos">Time the path spends in this span while it runs (its critical self time).</param>
/// <param name="WaitNanos">Time the path spends after this span ended, waiting for the work it handed on to start.</param>
/// <param name="SelfTimeNanos">Its duration minus the union of its children's intervals clipped to it (whether or not on the path).</param>
public sealed record CriticalPathSpan(TraceSpan Span, string Stage, long OnPathNanos, long WaitNanos, long SelfTimeNanos);

/// <summary>The critical path of a trace: segments in time order covering the whole trace, the spans on it, and the largest contributors.</summary>
public sealed record CriticalPath(
    long StartNanos,
    long EndNanos,
    IReadOnlyList<CriticalPathSegment> Segments,
    IReadOnlyList<CriticalPathSpan> Spans,
    CriticalPathSpan? LargestSelfTime,
    string? LargestStage,
    long LargestStageNanos)
{
    public long DurationNanos => EndNanos - StartNanos;

    public static readonly CriticalPath Empty = new(0, 0, [], [], null, null, 0);
}
