using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The ingest step with tail sampling on: answered once buffered, refused when the buffer is full, flushed on stop.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TailSamplerTests : IDisposable
{
    private readonly IngestQueue queue = new(16);
    private readonly IngestMonitor monitor = new(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System);
    private readonly TailSampler sampler;
    private readonly OtlpTraceIngest ingest;

    public TailSamplerTests()
    {
        // A quiet period no test waits for: traces are decided only when the sampler stops.
        sampler = new TailSampler(
            Options.Create(new TailSamplingOptions { Enabled = true, KeepShare = 0, QuietSeconds = 600, DecisionWaitSeconds = 600, MaxBufferedTraces = 1 }),
            Options.Create(new AlertOptions()), queue, new SamplingMetrics(new ServiceTelemetry("TraceAnalytics")), TimeProvider.System,
            NullLogger<TailSampler>.Instance);
        ingest = new OtlpTraceIngest(queue, monitor, Options.Create(new IngestOptions { RetryAfterSeconds = 2 }), sampler);
    }

    public void Dispose() => sampler.Dispose();

    [Fact]
    public async Task An_export_is_answered_once_buffered_and_its_kept_trace_is_queued_for_the_store_when_the_sampler_stops()
    {
        var result = await ingest.IngestAsync(OtlpRequests.OrderRequest(), CancellationToken.None);

        Assert.Equal(IngestOutcome.Stored, result.Outcome);
        Assert.Equal(0, queue.Count); // not written yet: waiting for its decision
        Assert.Equal(1, sampler.Status().BufferedTraces);
        Assert.Equal(2, sampler.Status().BufferedSpans);

        await sampler.StopAsync(CancellationToken.None);

        Assert.True(queue.Reader.TryRead(out var batch));
        Assert.Equal(2, batch.Spans.Count); // the trace has an Error span: kept although the share is 0
        Assert.All(batch.Spans, span => Assert.Equal(1, span.SampleWeight));
        var status = sampler.Status();
        Assert.Equal(0, status.BufferedTraces);
        Assert.Equal(1, status.KeptByReason["error"]);
        Assert.Equal(0, status.DroppedTraces);

        var afterStop = await ingest.IngestAsync(OtlpRequests.OrderRequest(), CancellationToken.None);
        Assert.Equal(IngestOutcome.Unavailable, afterStop.Outcome);
        Assert.Contains("shutting down", afterStop.Reason);
    }

    [Fact]
    public async Task A_full_buffer_answers_unavailable_takes_nothing_and_counts_the_refusal()
    {
        Assert.Equal(IngestOutcome.Stored, (await ingest.IngestAsync(OtlpRequests.OrderRequest("ord-1"), CancellationToken.None)).Outcome);

        var refused = await ingest.IngestAsync(OtlpRequests.OrderRequest("ord-2"), CancellationToken.None);

        Assert.Equal(IngestOutcome.Unavailable, refused.Outcome);
        Assert.Equal(2, refused.RetryAfterSeconds);
        Assert.Contains("tail-sampling buffer is full", refused.Reason);
        Assert.Equal(2, sampler.Status().BufferedSpans);
        Assert.Equal(2, monitor.Snapshot(queue.Count).Refused[IngestMonitor.Reasons.SamplingBufferFull]);
    }
}
