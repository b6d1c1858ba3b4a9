using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>What became of an export handed to the tail sampler.</summary>
public enum SamplingAdmission
{
    Accepted,
    /// <summary>The buffer holds its maximum of undecided traces: refuse, the exporter retries.</summary>
    Full,
    /// <summary>The service is stopping.</summary>
    Closed,
}

/// <summary>
/// Tail sampling between ingest and <see cref="TraceBatchWriter"/> (when <see cref="TailSamplingOptions.Enabled"/>):
/// ingest hands each export's spans to <see cref="TryAccept"/> and answers at once; a decider loop, every few hundred
/// ms, decides the traces <see cref="TraceBuffer"/> finds complete with <see cref="TraceKeepPolicy"/> against
/// <see cref="LatencyThresholds"/> (fed every decided trace, kept or not), counts each decision in
/// <see cref="SamplingMetrics"/> and queues the kept spans, weighted, for the writer (and hands them to the
/// <see cref="TraceForwarder"/>, which forwards them in mode <c>kept</c>). On stop (before the writer's,
/// as it is registered after it) it decides every buffered trace and queues the kept ones: nothing is lost on a
/// graceful shutdown; a crash loses the undecided traces (their exports were already answered).
/// </summary>
public sealed partial class TailSampler : IHostedService, IDisposable
{
    private readonly TailSamplingOptions settings;
    private readonly IngestQueue queue;
    private readonly SamplingMetrics metrics;
    private readonly TimeProvider clock;
    private readonly ILogger<TailSampler> logger;
    private readonly TraceForwarder? forwarder;
    private readonly TraceBuffer buffer;
    private readonly TraceKeepPolicy policy;
    private readonly LatencyThresholds thresholds;
    private readonly Func<string, List<SpanRecord>, double> decide;
    private readonly List<SpanRecord> kept = [];
    private readonly SemaphoreSlim deciding = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;
    private volatile bool closed;

    public TailSampler(
        IOptions<TailSamplingOptions> options, IOptions<AlertOptions> alerts, IngestQueue queue, SamplingMetrics metrics,
        TimeProvider clock, ILogger<TailSampler> logger, TraceForwarder? forwarder = null)
    {
        this.forwarder = forwarder;
        settings = options.Value;
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
        this.logger = logger;
        buffer = new TraceBuffer(Math.Max(1, settings.MaxBufferedTraces), settings.DecisionMemory);
        policy = new TraceKeepPolicy(settings.ClampedKeepShare, alerts.Value.Enabled ? alerts.Value.Rules : []);
        thresholds = new LatencyThresholds(settings.SlowPercentile, settings.StageAnomalyPercentile, settings.WarmupTraces);
        decide = Decide;
        if (Enabled)
        {
            metrics.ObserveBuffer(() => buffer.BufferedTraces);
        }
    }

    public bool Enabled => settings.Enabled;

    /// <summary>Buffers an export's spans (whole, or none when the buffer is full or the service stopping).</summary>
    public SamplingAdmission TryAccept(IReadOnlyList<SpanRecord> spans)
    {
        if (closed)
        {
            return SamplingAdmission.Closed;
        }

        if (!buffer.TryAdd(spans, clock.GetUtcNow().UtcTicks, out var lateDropped))
        {
            return SamplingAdmission.Full;
        }

        metrics.LateDropped(lateDropped);
        return SamplingAdmission.Accepted;
    }

    /// <summary>
    /// Decides the complete traces (every buffered trace when <paramref name="all"/>) and queues the kept spans for
    /// the writer, waiting for room in its queue; the number of spans queued.
    /// </summary>
    public async Task<int> DecideAsync(bool all, CancellationToken cancellationToken = default)
    {
        await deciding.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            kept.Clear();
            buffer.DecideReady(clock.GetUtcNow().UtcTicks, settings.Quiet.Ticks, settings.DecisionWait.Ticks, all, decide, kept);
            if (kept.Count == 0)
            {
                return 0;
            }

            var spans = kept.ToArray();
            forwarder?.OnKept(spans); // before the store's queue, which may make it wait: the backend gets them regardless
            await queue.EnqueueAsync(new IngestBatch(spans), cancellationToken).ConfigureAwait(false);
            return spans.Length;
        }
        finally
        {
            deciding.Release();
        }
    }

    public SamplingStatusResponse Status() => new(
        Enabled, policy.KeepShare, buffer.BufferedTraces, buffer.BufferedSpans, metrics.KeptTraces, metrics.DroppedTraces,
        metrics.Spans(KeepReason.SampledOut), metrics.KeptByReason(),
        new Dictionary<string, long> { [KeepReason.SampledOut.Name()] = metrics.DroppedTraces });

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            running = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops taking spans, then decides every buffered trace and queues the kept ones before the writer stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        closed = true;
        await stopping.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        var queued = await DecideAsync(all: true, cancellationToken).ConfigureAwait(false);
        LogFlushed(queued);
    }

    public void Dispose()
    {
        stopping.Dispose();
        deciding.Dispose();
    }

    private async Task RunAsync()
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(settings.Quiet.TotalMilliseconds / 4, 50, 250));
        using var timer = new PeriodicTimer(tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await DecideAsync(all: false, CancellationToken.None).ConfigureAwait(false); // kept spans are queued even when stopping
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogDecideFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One trace's decision (under the buffer's lock, on the decider): its weight, 0 to drop it.</summary>
    private double Decide(string traceId, List<SpanRecord> spans)
    {
        var reason = policy.Decide(traceId, spans, thresholds);
        if (spans.Count > 0)
        {
            thresholds.RecordEndToEnd(TraceKeepPolicy.RootName(spans), TraceKeepPolicy.EndToEndNanos(spans));
        }

        foreach (var span in spans)
        {
            if (PipelineStages.IsStage(span.SpanName))
            {
                thresholds.RecordStage(span.SpanName, span.DurationNanos);
            }
        }

        metrics.Decided(reason, spans.Count);
        return reason == KeepReason.SampledOut ? 0 : policy.WeightOf(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tail sampling stopped: decided every buffered trace, {SpanCount} kept spans queued for the store")]
    private partial void LogFlushed(int spanCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tail sampling failed to decide or queue traces")]
    private partial void LogDecideFailed(Exception exception);
}
