using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Sampling;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The one ingest step behind OTLP/HTTP and OTLP/gRPC: converts a decoded export (refusing spans without a
/// valid identity, reported as partial success), queues the valid spans for <see cref="TraceBatchWriter"/> whole
/// and waits until they are appended, counting accepted and refused spans in <see cref="IngestMonitor"/>.
/// Unavailable (retry later) when the store is failing, the queue is full or closed, the append failed or did
/// not finish within <see cref="IngestOptions.AppendTimeoutSeconds"/>. With tail sampling on, the spans go to the
/// <see cref="TailSampler"/>'s buffer instead and the export is answered once they are buffered (unavailable when the
/// buffer is full): the sampler queues the kept traces for the writer later. An accepted export is handed to the
/// <see cref="TraceForwarder"/>, which never makes it wait. Ingest holds nothing of its own: the spans are in the
/// writer's queue or the sampler's buffer until stored, so any instance can take any export (with tail sampling, the
/// spans of one trace must reach the same instance).
/// </summary>
public sealed class OtlpTraceIngest(
    IngestQueue queue, IngestMonitor monitor, IOptions<IngestOptions> options, TailSampler? sampler = null, TraceForwarder? forwarder = null)
{
    public async Task<IngestResult> IngestAsync(ExportTraceServiceRequest export, CancellationToken cancellationToken)
    {
        var conversion = OtlpSpanConverter.Convert(export, keepReceived: forwarder is { NeedsReceivedSpans: true });
        var spans = conversion.Spans.Count;
        if (spans > 0)
        {
            var refusal = sampler is { Enabled: true }
                ? Buffer(sampler, conversion.Spans)
                : await StoreAsync(new IngestBatch(conversion.Spans), cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            monitor.Accepted(spans);
            forwarder?.OnAccepted(export, conversion);
        }

        return IngestResult.Stored(OtlpSpanConverter.ToResponse(conversion));
    }

    /// <summary>Hands the spans to the tail sampler's buffer; the refusal to answer when that fails, else null.</summary>
    private IngestResult? Buffer(TailSampler tail, IReadOnlyList<Storage.SpanRecord> spans)
    {
        var retryAfter = Math.Max(1, options.Value.RetryAfterSeconds);
        if (RefuseWhileStoreFails(spans.Count, retryAfter) is { } refusal)
        {
            return refusal;
        }

        switch (tail.TryAccept(spans))
        {
            case SamplingAdmission.Accepted:
                return null;
            case SamplingAdmission.Closed:
                monitor.Refused(spans.Count, IngestMonitor.Reasons.ShuttingDown);
                return IngestResult.Unavailable("the trace store is shutting down; retry later", retryAfter);
            default:
                monitor.Refused(spans.Count, IngestMonitor.Reasons.SamplingBufferFull);
                return IngestResult.Unavailable("the trace store's tail-sampling buffer is full; retry later", retryAfter);
        }
    }

    /// <summary>The refusal to answer while the store is failing (counted), whichever path the spans take; else null.</summary>
    private IngestResult? RefuseWhileStoreFails(int spans, int retryAfter)
    {
        if (monitor.TryAdmit(TimeSpan.FromSeconds(retryAfter)))
        {
            return null;
        }

        monitor.Refused(spans, IngestMonitor.Reasons.StoreFailing);
        var failure = monitor.Failure;
        return IngestResult.Unavailable(
            $"the trace store cannot write at the moment{(failure is null ? "" : $" (since {failure.Since:O}: {failure.LastError.Type})")}; retry later",
            retryAfter);
    }

    /// <summary>Hands the spans to the writer and waits for their append; the refusal to answer when that fails, else null.</summary>
    private async Task<IngestResult?> StoreAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var retryAfter = Math.Max(1, settings.RetryAfterSeconds);
        var spans = batch.Spans.Count;
        if (RefuseWhileStoreFails(spans, retryAfter) is { } refusal)
        {
            return refusal;
        }

        if (!queue.TryEnqueue(batch))
        {
            if (queue.IsClosed)
            {
                monitor.Refused(spans, IngestMonitor.Reasons.ShuttingDown);
                return IngestResult.Unavailable("the trace store is shutting down; retry later", retryAfter);
            }

            monitor.Refused(spans, IngestMonitor.Reasons.QueueFull);
            return IngestResult.Unavailable("the trace store's ingest queue is full; retry later", retryAfter);
        }

        try
        {
            await batch.Stored.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.1, settings.AppendTimeoutSeconds)), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            monitor.Refused(spans, IngestMonitor.Reasons.Timeout);
            return IngestResult.Unavailable(
                $"the spans were not stored within {settings.AppendTimeoutSeconds:0.#} s (they may still be); retry later", retryAfter);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The writer counted them as dropped and marked the store failing.
            return IngestResult.Unavailable($"the trace store could not append the spans ({ex.GetType().Name}); retry later", retryAfter);
        }
    }
}
