namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>Where forwarding stands, as <c>state</c> in <see cref="ForwardStatus"/>.</summary>
public static class ForwardStates
{
    /// <summary>No <c>TraceAnalytics:Forward:Endpoint</c>: nothing is forwarded.</summary>
    public const string Off = "off";
    /// <summary>Nothing sent yet.</summary>
    public const string Idle = "idle";
    /// <summary>The last export was taken.</summary>
    public const string Ok = "ok";
    /// <summary>The current export failed and is being retried.</summary>
    public const string Retrying = "retrying";
    /// <summary>The last export could not be delivered after every retry (backend down or overloaded).</summary>
    public const string Failing = "failing";
    /// <summary>The backend refused the last export for good (e.g. 401: check the headers).</summary>
    public const string Refused = "refused";
}

/// <summary>The last failed export: its short error type, the backend's words and when.</summary>
public sealed record ForwardError(string Type, string Detail, DateTimeOffset At);

/// <summary>
/// Forwarding in <c>GET /api/ingest/status</c>: the endpoint (without credentials), protocol, mode and state, the spans
/// waiting and the totals since start: forwarded (taken by the backend), failed (refused, or not taken after the
/// retries), dropped (never sent: the queue was full). Header values are never shown.
/// </summary>
public sealed record ForwardStatus(
    bool Enabled,
    string State,
    string? Endpoint,
    string? Protocol,
    string? Mode,
    int QueuedSpans,
    int MaxQueuedSpans,
    long ForwardedSpans,
    long FailedSpans,
    long DroppedSpans,
    DateTimeOffset? LastForwardedAt,
    ForwardError? LastError);
