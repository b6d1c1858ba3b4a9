using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The single writer: drains <see cref="IngestQueue"/> and appends to the store in batches of
/// <see cref="IngestOptions.BatchSize"/> spans or every <see cref="IngestOptions.FlushIntervalMilliseconds"/>,
/// whichever comes first. On shutdown it stops the queue and writes what is left.
/// </summary>
public sealed partial class TraceBatchWriter(
    IngestQueue queue,
    ITraceStore store,
    IOptions<IngestOptions> options,
    ILogger<TraceBatchWriter> logger,
    IEnumerable<ISpanBatchObserver> observers) : IHostedService
{
    private readonly ISpanBatchObserver[] observers = observers.ToArray();

    public TraceBatchWriter(IngestQueue queue, ITraceStore store, IOptions<IngestOptions> options, ILogger<TraceBatchWriter> logger)
        : this(queue, store, options, logger, [])
    {
    }

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)];

    private readonly int batchSize = Math.Max(1, options.Value.BatchSize);
    private readonly TimeSpan flushInterval = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.FlushIntervalMilliseconds, 1, 200));
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
        var buffer = new List<SpanRecord>(batchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await FillAsync(buffer).ConfigureAwait(false);
            await FlushAsync(buffer).ConfigureAwait(false);
            buffer.Clear();
        }
    }

    /// <summary>Takes queued spans until the batch is full, the interval has passed or the queue is closed.</summary>
    private async Task FillAsync(List<SpanRecord> buffer)
    {
        var reader = queue.Reader;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            while (buffer.Count < batchSize && reader.TryRead(out var spans))
            {
                buffer.AddRange(spans);
            }

            var remaining = flushInterval - Stopwatch.GetElapsedTime(started);
            if (buffer.Count >= batchSize || remaining <= TimeSpan.Zero)
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

    private async Task FlushAsync(List<SpanRecord> buffer)
    {
        if (buffer.Count == 0)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.AppendAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                Notify(buffer);
                return;
            }
            catch (Exception ex) when (attempt < RetryDelays.Length)
            {
                LogAppendRetry(ex, buffer.Count, attempt + 1);
                await Task.Delay(RetryDelays[attempt], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, buffer.Count);
                return;
            }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {SpanCount} spans failed for good; they are lost")]
    private partial void LogAppendFailed(Exception exception, int spanCount);
}
