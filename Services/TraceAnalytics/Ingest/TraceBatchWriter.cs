using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The single writer: drains <see cref="IngestQueue"/> and appends to the store in batches (group commit).
/// A batch is whatever is queued, up to <see cref="IngestOptions.BatchSize"/> spans; when the queue runs dry
/// first, it waits up to <see cref="IngestOptions.FlushIntervalMilliseconds"/> for more. Each request's
/// <see cref="IngestBatch.Stored"/> completes once its batch is appended, or faults when the append failed
/// for good (two retries, none while the store is already failing); then <see cref="IngestMonitor"/> counts
/// the spans dropped and marks the store failing. On shutdown it stops the queue and writes what is left.
/// </summary>
public sealed partial class TraceBatchWriter(
    IngestQueue queue,
    ITraceStore store,
    IngestMonitor monitor,
    IOptions<IngestOptions> options,
    ILogger<TraceBatchWriter> logger,
    IEnumerable<ISpanBatchObserver> observers) : IHostedService
{
    private readonly ISpanBatchObserver[] observers = observers.ToArray();

    public TraceBatchWriter(IngestQueue queue, ITraceStore store, IngestMonitor monitor, IOptions<IngestOptions> options, ILogger<TraceBatchWriter> logger)
        : this(queue, store, monitor, options, logger, [])
    {
    }

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)];

    private readonly int batchSize = Math.Max(1, options.Value.BatchSize);
    private readonly TimeSpan flushInterval = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.FlushIntervalMilliseconds, 0, 200));
    private readonly TimeSpan trialInterval = TimeSpan.FromSeconds(Math.Max(1, options.Value.RetryAfterSeconds));
    private Task running = Task.CompletedTask;

    // Not a BackgroundService: its ExecuteAsync may never start when stopping comes early, and then
    // queued spans would be lost. This loop always runs and ends once the queue is closed and drained.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        running = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Closes the queue (ingest answers 503 from then on) and waits for what is queued to be written.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        var spans = new List<SpanRecord>(batchSize);
        var batches = new List<IngestBatch>();
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await FillAsync(spans, batches).ConfigureAwait(false);
            await FlushAsync(spans, batches).ConfigureAwait(false);
            spans.Clear();
            batches.Clear();
        }
    }

    /// <summary>Takes queued requests until the batch is full, or the queue is dry and the flush interval has passed, or the queue is closed.</summary>
    private async Task FillAsync(List<SpanRecord> spans, List<IngestBatch> batches)
    {
        var reader = queue.Reader;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            while (spans.Count < batchSize && reader.TryRead(out var batch))
            {
                batches.Add(batch);
                spans.AddRange(batch.Spans);
            }

            var remaining = flushInterval - Stopwatch.GetElapsedTime(started);
            if (spans.Count >= batchSize || remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task FlushAsync(List<SpanRecord> spans, List<IngestBatch> batches)
    {
        if (spans.Count == 0)
        {
            foreach (var batch in batches)
            {
                batch.MarkStored();
            }

            return;
        }

        // While the store is failing, queued requests are answered at once instead of after the retries.
        var retries = monitor.IsFailing ? 0 : RetryDelays.Length;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.AppendAsync(spans, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < retries)
            {
                LogAppendRetry(ex, spans.Count, attempt + 1);
                await Task.Delay(RetryDelays[attempt], CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, spans.Count, batches.Count);
                monitor.Dropped(spans.Count, ex, trialInterval);
                foreach (var batch in batches)
                {
                    batch.MarkFailed(ex);
                }

                return;
            }

            monitor.Stored(spans.Count);
            foreach (var batch in batches)
            {
                batch.MarkStored();
            }

            Notify(spans);
            return;
        }
    }

    private void Notify(List<SpanRecord> stored)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnStored(stored);
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Observer {Observer} failed on a stored batch")]
    private partial void LogObserverFailed(Exception exception, string observer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {SpanCount} spans failed (attempt {Attempt}); retrying")]
    private partial void LogAppendRetry(Exception exception, int spanCount, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {SpanCount} spans failed for good; their {RequestCount} export requests are answered 503 (retryable)")]
    private partial void LogAppendFailed(Exception exception, int spanCount, int requestCount);
}
