using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Retention;

/// <summary>What one retention pass did.</summary>
public sealed record RetentionPassResult(long DeletedByAge, long DeletedBySize, TraceStoreSize SizeAfter);

/// <summary>
/// Enforces <see cref="TraceStoreOptions.RetentionHours"/> and <see cref="TraceStoreOptions.MaxSizeMb"/>
/// every <see cref="TraceStoreOptions.RetentionIntervalSeconds"/>: deletes spans past the age limit, then the
/// oldest spans while the store is over its size limit (used blocks of the file plus the WAL; after a
/// size-driven delete the indexes are rebuilt so that the freed room shows). Deletes run on the store's
/// writer connection between ingest batches; readers keep their snapshot (MVCC) and are not blocked.
/// </summary>
public sealed partial class TraceRetentionJob(
    ITraceRetentionStore store,
    IOptions<TraceStoreOptions> options,
    TimeProvider clock,
    ILogger<TraceRetentionJob> logger) : BackgroundService
{
    private const int MaxSizePassesPerRun = 3;

    private readonly RetentionPolicy policy = RetentionPolicy.From(options.Value);
    private readonly TimeSpan interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.RetentionIntervalSeconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: age first, then size (a few rounds, since the size-to-spans ratio is an estimate).</summary>
    public async Task<RetentionPassResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var deletedByAge = 0L;
        var cutoff = policy.AgeCutoff(clock.GetUtcNow().UtcDateTime);
        var size = await store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (size.Oldest is { } oldest && oldest < cutoff)
        {
            deletedByAge = await store.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            await store.CompactAsync(rebuildIndexes: false, cancellationToken).ConfigureAwait(false);
            size = await store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            if (deletedByAge > 0)
            {
                LogDeletedByAge(deletedByAge, cutoff);
            }
        }

        var deletedBySize = 0L;
        for (var pass = 0; pass < MaxSizePassesPerRun; pass++)
        {
            var fraction = policy.FractionToDelete(size.UsedBytes);
            if (fraction <= 0 || size.SpanCount == 0)
            {
                break;
            }

            var sizeCutoff = await store.GetTimestampAtFractionAsync(fraction, cancellationToken).ConfigureAwait(false);
            if (sizeCutoff is null)
            {
                break;
            }

            var deleted = await store.DeleteOlderThanAsync(sizeCutoff.Value, cancellationToken).ConfigureAwait(false);
            if (deleted == 0)
            {
                // All remaining spans share the oldest timestamp: delete up to and including it.
                deleted = await store.DeleteOlderThanAsync(sizeCutoff.Value.AddTicks(1), cancellationToken).ConfigureAwait(false);
            }

            // Deleted index entries keep their room (it is reused by new spans), so the used size only
            // tells what is left after the indexes are rebuilt; without that, every pass would delete more.
            await store.CompactAsync(rebuildIndexes: true, cancellationToken).ConfigureAwait(false);
            deletedBySize += deleted;
            var before = size.UsedBytes;
            size = await store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            LogDeletedBySize(deleted, before / 1048576.0, size.UsedBytes / 1048576.0, policy.MaxBytes / 1048576.0);
            if (deleted == 0)
            {
                break;
            }
        }

        return new RetentionPassResult(deletedByAge, deletedBySize, size);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} spans older than {Cutoff:o}")]
    private partial void LogDeletedByAge(long count, DateTime cutoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} oldest spans: {BeforeMb:0.0} MiB -> {AfterMb:0.0} MiB (limit {LimitMb:0.0} MiB)")]
    private partial void LogDeletedBySize(long count, double beforeMb, double afterMb, double limitMb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention pass failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
