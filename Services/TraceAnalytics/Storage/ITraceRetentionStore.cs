namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>How much room the store takes and what it holds.</summary>
/// <param name="UsedBytes">Bytes in use: used blocks of the database file plus its write-ahead log.</param>
/// <param name="FileBytes">Bytes on disk (the file does not shrink when rows are deleted; freed blocks are reused).</param>
/// <param name="SpanCount">Rows stored.</param>
/// <param name="Oldest">Start of the oldest stored span; null when empty.</param>
public sealed record TraceStoreSize(long UsedBytes, long FileBytes, long SpanCount, DateTime? Oldest);

/// <summary>What the retention job needs from a store: its size, and deleting its oldest spans.</summary>
public interface ITraceRetentionStore
{
    Task<TraceStoreSize> GetSizeAsync(CancellationToken cancellationToken = default);

    /// <summary>The start time below which <paramref name="fraction"/> of the stored spans lie; null when empty.</summary>
    Task<DateTime?> GetTimestampAtFractionAsync(double fraction, CancellationToken cancellationToken = default);

    /// <summary>Deletes every span that started before <paramref name="cutoff"/> (and every feed-health report that ended before it); returns how many spans.</summary>
    Task<long> DeleteOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the space of deleted rows reusable (a checkpoint), rebuilding indexes first when asked so that
    /// the used size shrinks to what is left; false when the checkpoint could not run now.
    /// </summary>
    Task<bool> CompactAsync(bool rebuildIndexes = false, CancellationToken cancellationToken = default);
}
