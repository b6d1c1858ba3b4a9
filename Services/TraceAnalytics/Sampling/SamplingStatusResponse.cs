namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// <c>GET /api/sampling</c>: whether tail sampling is on, its keep share, what waits for a decision, and the traces
/// kept (by reason) and dropped (with their spans, by reason) since the service started. Kept + dropped = decided.
/// </summary>
public sealed record SamplingStatusResponse(
    bool Enabled,
    double KeepShare,
    int BufferedTraces,
    int BufferedSpans,
    long KeptTraces,
    long DroppedTraces,
    long DroppedSpans,
    IReadOnlyDictionary<string, long> KeptByReason,
    IReadOnlyDictionary<string, long> DroppedByReason);
