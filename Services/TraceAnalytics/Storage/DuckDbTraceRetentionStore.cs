using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceRetentionStore"/> on <see cref="TraceDatabase"/>: how much room the spans take, and deleting
/// the oldest of them on the database's write path (between ingest batches; readers keep their snapshot).
/// </summary>
public sealed class DuckDbTraceRetentionStore(TraceDatabase database) : ITraceRetentionStore
{
    public async Task<TraceStoreSize> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""
            SELECT block_size, used_blocks,
                   (SELECT count(*) FROM {SpanTable.Name}) AS spans, (SELECT min("Timestamp") FROM {SpanTable.Name}) AS oldest
            FROM pragma_database_size() WHERE database_name = current_database()
            """);
        var rows = await database.QueryAsync(query, row => (
            UsedBytes: row.AnyInt64("block_size") * row.AnyInt64("used_blocks"),
            Spans: row.Int64("spans"),
            Oldest: row.NullableTime("oldest")), cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return new TraceStoreSize(0, 0, 0, null);
        }

        var (usedBytes, spans, oldest) = rows[0];
        var walBytes = FileBytes(database.DatabasePath + ".wal");
        return new TraceStoreSize(usedBytes + walBytes, FileBytes(database.DatabasePath) + walBytes, spans, oldest);
    }

    public async Task<DateTime?> GetTimestampAtFractionAsync(double fraction, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""SELECT quantile_disc("Timestamp", $fraction) FROM {SpanTable.Name}""")
            .Bind("fraction", Math.Clamp(fraction, 0, 1));
        var value = await database.QueryScalarAsync(query, cancellationToken).ConfigureAwait(false);
        return value is DateTime timestamp ? DuckDbTime.FromStored(timestamp) : null;
    }

    /// <summary>Deletes the spans, and the feed-health reports (<see cref="FeedHealthTable"/>) that ended, before the cutoff; returns the spans deleted.</summary>
    public async Task<long> DeleteOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(connection =>
        {
            new DuckDbQuery(FeedHealthTable.DeleteOlderThan).BindTime("cutoff", cutoff).Execute(connection);
            return new DuckDbQuery($"""DELETE FROM {SpanTable.Name} WHERE "Timestamp" < $cutoff""").BindTime("cutoff", cutoff).Execute(connection);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A checkpoint; with <paramref name="rebuildIndexes"/>, the ART indexes are dropped first and built
    /// again after it. DuckDB's indexes keep the room of deleted entries (for reuse) and keep row groups
    /// from being merged, so after a large delete only a rebuild makes the file's used size match what is
    /// left. While they are rebuilt (seconds for millions of spans) lookups by trace or order id scan.
    /// </summary>
    public Task<bool> CompactAsync(bool rebuildIndexes = false, CancellationToken cancellationToken = default) =>
        database.WriteAsync(connection =>
        {
            if (rebuildIndexes)
            {
                new DuckDbQuery(SpanTable.DropIndexes).Execute(connection);
            }

            var checkpointed = TryCheckpoint(connection);
            if (rebuildIndexes)
            {
                new DuckDbQuery(SpanTable.CreateIndexes).Execute(connection);
                checkpointed = TryCheckpoint(connection) && checkpointed;
            }

            return checkpointed;
        }, cancellationToken);

    private static bool TryCheckpoint(DuckDBConnection connection)
    {
        try
        {
            new DuckDbQuery("CHECKPOINT").Execute(connection);
            return true;
        }
        catch (DuckDBException)
        {
            // A checkpoint cannot run while another transaction is open; the next pass tries again,
            // and DuckDB checkpoints by itself once the WAL grows.
            return false;
        }
    }

    private static long FileBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
