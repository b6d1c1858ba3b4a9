using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// Forwards what the store receives to an external tracing backend (<see cref="ForwardOptions"/>), off without an
/// endpoint. Ingest hands it every accepted export (<see cref="OnAccepted"/>) and the tail sampler every decision's kept
/// spans (<see cref="OnKept"/>); it takes the ones its mode asks for into a <see cref="ForwardQueue"/> at once —
/// never waiting, dropping the oldest when full — and one loop sends them in batches through <see cref="BatchDelivery"/>.
/// On stop (after the writer and the sampler, as it is registered before them) it sends what is queued for up to
/// <see cref="ForwardOptions.DrainSeconds"/>; what is left then is counted as dropped.
/// </summary>
public sealed partial class TraceForwarder : IHostedService, IDisposable
{
    private readonly ForwardOptions settings;
    private readonly ForwardTarget? target;
    private readonly ForwardQueue queue;
    private readonly ForwardMetrics metrics;
    private readonly BatchDelivery? delivery;
    private readonly IOtlpTraceSender? sender;
    private readonly TimeProvider clock;
    private readonly ILogger<TraceForwarder> logger;
    private readonly bool atDecision;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abandon = new();
    private Task running = Task.CompletedTask;

    public TraceForwarder(
        IOptions<ForwardOptions> options, IOptions<TailSamplingOptions> sampling, ForwardMetrics metrics,
        OtlpTraceSenderFactory senders, TimeProvider clock, ILogger<TraceForwarder> logger)
    {
        settings = options.Value;
        this.metrics = metrics;
        this.clock = clock;
        this.logger = logger;
        queue = new ForwardQueue(settings.MaxQueue);
        if (settings.Enabled)
        {
            target = ForwardTarget.Parse(settings);
            sender = senders(target);
            delivery = new BatchDelivery(sender, target, settings, metrics, clock, logger);
            atDecision = settings.Mode == ForwardMode.Kept && sampling.Value.Enabled;
            metrics.ObserveQueue(() => queue.Spans);
        }
    }

    public bool Enabled => target is not null;

    /// <summary>True when ingest must keep each span as received (<see cref="SpanRecord.Received"/>): kept traces are sent once decided.</summary>
    public bool NeedsReceivedSpans => atDecision;

    /// <summary>An export ingest accepted (stored, or buffered for tail sampling): queued unless only kept traces are forwarded.</summary>
    public void OnAccepted(ExportTraceServiceRequest export, OtlpConversion conversion)
    {
        if (Enabled && !atDecision && ForwardRequests.FromExport(export, conversion) is { } item)
        {
            Offer(item);
        }
    }

    /// <summary>The spans of the traces tail sampling just kept: queued when only kept traces are forwarded.</summary>
    public void OnKept(IReadOnlyList<SpanRecord> kept)
    {
        if (!atDecision)
        {
            return;
        }

        var item = ForwardRequests.FromKept(kept, out var missing);
        metrics.Drops(missing, ForwardMetrics.DropReasons.NotReceived);
        if (item is not null)
        {
            Offer(item);
        }
    }

    public ForwardStatus Status()
    {
        if (delivery is null || target is null)
        {
            return new ForwardStatus(false, ForwardStates.Off, null, null, null, 0, 0, 0, 0, 0, null, null);
        }

        var (state, lastForwardedAt, lastError) = delivery.Snapshot();
        return new ForwardStatus(true, state, target.Display, target.ProtocolName, settings.Mode.ToString().ToLowerInvariant(),
            queue.Spans, queue.MaxSpans, metrics.Forwarded, metrics.Failed, metrics.Dropped, lastForwardedAt, lastError);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (delivery is not null && target is not null)
        {
            LogForwarding(target.Display, target.ProtocolName, settings.Mode.ToString().ToLowerInvariant(), target.Headers.Count);
            running = Task.Run(() => RunAsync(delivery), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops waiting for more spans, sends what is queued for up to the drain time, then gives up on the rest.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (delivery is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        abandon.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, settings.DrainSeconds)));
        using var hostGivesUp = cancellationToken.Register(abandon.Cancel);
        await running.ConfigureAwait(false);
        metrics.Drops(queue.Take(int.MaxValue).Sum(item => (long)item.Spans), ForwardMetrics.DropReasons.ShuttingDown);
    }

    public void Dispose()
    {
        stopping.Dispose();
        abandon.Dispose();
        sender?.Dispose();
    }

    private void Offer(ForwardItem item) => metrics.Drops(queue.Add(item), ForwardMetrics.DropReasons.QueueFull);

    private async Task RunAsync(BatchDelivery batches)
    {
        var maxBatch = Math.Max(1, settings.MaxBatchSpans);
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, settings.BatchDelayMilliseconds));
        while (!abandon.IsCancellationRequested)
        {
            try
            {
                await queue.WaitAsync(stopping.Token).ConfigureAwait(false);
                if (queue.Spans < maxBatch && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, clock, stopping.Token).ConfigureAwait(false); // let a batch fill up
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: send what is queued without waiting for more.
            }

            var batch = queue.Take(maxBatch);
            if (batch.Count == 0)
            {
                return; // only when stopping: everything was sent
            }

            var spans = batch.Sum(item => (long)item.Spans);
            try
            {
                await batches.DeliverAsync(batch, abandon.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested)
            {
                metrics.Drops(spans, ForwardMetrics.DropReasons.ShuttingDown);
            }
            catch (Exception ex)
            {
                LogBatchFailed(ex, spans);
                metrics.Failures(spans, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding traces to {Endpoint} over {Protocol} (mode {Mode}, {HeaderCount} headers)")]
    private partial void LogForwarding(string endpoint, string protocol, string mode, int headerCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forwarding a batch of {SpanCount} spans failed unexpectedly; they count as failed")]
    private partial void LogBatchFailed(Exception exception, long spanCount);
}
