using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The one owner of the trace store's DuckDB file: it opens the database instance, creates every table on it
/// (<see cref="SpanTable"/>, <see cref="AlertTable"/>, <see cref="FeedHealthTable"/>) and is the only way to it for the span, analytics,
/// retention and alert stores. Writes go through <see cref="WriteAsync{T}"/>: one connection kept open for the
/// instance's lifetime (so the instance stays up), one writer at a time. Reads each open a short-lived
/// connection on the same instance (DuckDB.NET shares one instance between every connection opened on a
/// path); DuckDB's MVCC lets them run while a write is under way and shows each committed write at once.
/// </summary>
public sealed class TraceDatabase : IDisposable
{
    /// <summary>
    /// WAL size at which DuckDB checkpoints by itself (its default is 16 MiB). Each checkpoint compresses the
    /// row groups written since the last one and rewrites the last, partly filled one; at 16 MiB (every ~40 k
    /// spans) that rewrite and the checkpoint's fixed cost were most of the append time. At 128 MiB a
    /// checkpoint comes every ~300 k spans; a restart replays at most that much WAL.
    /// </summary>
    public const string CheckpointThreshold = "128MB";

    private const string Settings = $"SET checkpoint_threshold = '{CheckpointThreshold}';";

    private readonly string connectionString;
    private readonly DuckDBConnection writeConnection;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private bool disposed;

    public TraceDatabase(string databasePath)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        connectionString = new DuckDBConnectionStringBuilder { DataSource = DatabasePath }.ToString();
        writeConnection = new DuckDBConnection(connectionString);
        try
        {
            writeConnection.Open();
            foreach (var schema in new[] { Settings, SpanTable.Create, SpanTable.Migrations, AlertTable.Create, FeedHealthTable.Create })
            {
                new DuckDbQuery(schema).Execute(writeConnection);
            }
        }
        catch
        {
            writeConnection.Dispose();
            throw;
        }
    }

    public string DatabasePath { get; }

    /// <summary>Runs <paramref name="write"/> on the writer connection, after any write under way has finished.</summary>
    public async Task<T> WriteAsync<T>(Func<DuckDBConnection, T> write, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return write(writeConnection);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Runs a statement on the write path; the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(DuckDbQuery statement, CancellationToken cancellationToken = default) =>
        WriteAsync(statement.Execute, cancellationToken);

    /// <summary>Every row of a query, mapped by <paramref name="map"/>, on a connection of its own.</summary>
    public Task<List<T>> QueryAsync<T>(DuckDbQuery query, Func<DuckDbRow, T> map, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => query.ReadAsync(connection, map, cancellationToken), cancellationToken);

    /// <summary>The first column of a query's first row (null when none), on a connection of its own.</summary>
    public Task<object?> QueryScalarAsync(DuckDbQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => query.ReadScalarAsync(connection, cancellationToken), cancellationToken);

    /// <summary>Runs several queries on one short-lived connection (one snapshot of the data per statement); for reading only.</summary>
    public async Task<T> ReadAsync<T>(Func<DuckDBConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await using var connection = new DuckDBConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection).ConfigureAwait(false);
    }

    public void Dispose()
    {
        writeLock.Wait();
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            writeConnection.Dispose();
        }
        finally
        {
            writeLock.Release();
        }
    }
}
