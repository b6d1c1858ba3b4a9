using System.Collections.Concurrent;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Forwarding;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>A backend stand-in for the forwarder's own logic: answers each attempt with <see cref="Answer"/> and records what it was sent.</summary>
internal sealed class ScriptedSender : IOtlpTraceSender
{
    private int attempts;

    /// <summary>The answer to the n-th attempt (1-based); may wait on the token, like a backend that hangs.</summary>
    public Func<int, CancellationToken, Task<SendResult>> Answer { get; set; } = (_, _) => Task.FromResult(SendResult.Delivered());

    public ConcurrentQueue<ExportTraceServiceRequest> Delivered { get; } = new();

    public int Attempts => Volatile.Read(ref attempts);

    public int DeliveredSpans => Delivered.Sum(r => r.ResourceSpans.Sum(rs => rs.ScopeSpans.Sum(s => s.Spans.Count)));

    public async Task<SendResult> SendAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        var result = await Answer(Interlocked.Increment(ref attempts), cancellationToken);
        if (result.Status == SendStatus.Delivered)
        {
            Delivered.Enqueue(request);
        }

        return result;
    }

    public void Dispose()
    {
    }
}
