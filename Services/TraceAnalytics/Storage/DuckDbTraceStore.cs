using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceStore"/> on an embedded DuckDB file. One database instance per process: DuckDB.NET
/// shares it between every connection opened on the same path, and this store keeps one connection open
/// for its lifetime (so the instance stays up) which only the writer uses, one batch at a time.
/// Each query opens its own short-lived connection on the same instance; DuckDB's MVCC lets queries
/// run while a batch is appended and shows each committed batch at once.
/// </summary>
public sealed class DuckDbTraceStore : ITraceStore, ITraceRetentionStore, IDisposable
{
    private const int MaxOrderTraceCandidates = 1000;

    private readonly string connectionString;
    private readonly DuckDBConnection writeConnection;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly int maxSpansPerTrace;
    private readonly int maxTracesPerOrder;
    private bool disposed;

    public DuckDbTraceStore(string databasePath, int maxSpansPerTrace = 10_000, int maxTracesPerOrder = 100)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        connectionString = new DuckDBConnectionStringBuilder { DataSource = DatabasePath }.ToString();
        this.maxSpansPerTrace = maxSpansPerTrace;
        this.maxTracesPerOrder = maxTracesPerOrder;

        writeConnection = new DuckDBConnection(connectionString);
        try
        {
            writeConnection.Open();
            using var command = writeConnection.CreateCommand();
            command.CommandText = DuckDbTraceSchema.CreateTable;
            command.ExecuteNonQuery();
            command.CommandText = DuckDbTraceSchema.Migrations;
            command.ExecuteNonQuery();
        }
        catch
        {
            writeConnection.Dispose();
            throw;
        }
    }

    public string DatabasePath { get; }

    public async Task AppendAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken = default)
    {
        if (spans.Count == 0)
        {
            return;
        }

        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var transaction = writeConnection.BeginTransaction();
            using (var appender = writeConnection.CreateAppender(DuckDbTraceSchema.Table))
            {
                foreach (var span in spans)
                {
                    AppendRow(appender, span);
                }

                appender.Close();
            }

            transaction.Commit();
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DuckDbTraceSchema.SelectColumns}
            FROM otel_traces
            WHERE "TraceId" = $traceId
            ORDER BY "Timestamp", "SpanId"
            LIMIT $limit
            """;
        command.Parameters.Add(new DuckDBParameter("traceId", traceId));
        command.Parameters.Add(new DuckDBParameter("limit", maxSpansPerTrace));

        var spans = new List<SpanRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var span = ReadRow(reader);
            if (seen.Add(span.SpanId))
            {
                spans.Add(span);
            }
        }

        return spans;
    }

    /// <summary>
    /// Two index lookups instead of one join: the traces carrying the order id (ART index on <c>OrderId</c>),
    /// then each of those traces' span count (ART index on <c>TraceId</c>), so the answer does not slow
    /// down with the size of the store. Ranked as before: most spans first, then earliest, then trace id.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindTraceIdsByOrderIdAsync(string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        var candidates = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT DISTINCT "TraceId" FROM otel_traces WHERE "OrderId" = $orderId LIMIT $limit
                """;
            command.Parameters.Add(new DuckDBParameter("orderId", orderId));
            command.Parameters.Add(new DuckDBParameter("limit", MaxOrderTraceCandidates));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(reader.GetString(0));
            }
        }

        if (candidates.Count <= 1)
        {
            return candidates;
        }

        var ranked = new List<(string TraceId, long Spans, DateTime First)>(candidates.Count);
        foreach (var traceId in candidates)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT count(DISTINCT "SpanId"), min("Timestamp") FROM otel_traces WHERE "TraceId" = $traceId
                """;
            command.Parameters.Add(new DuckDBParameter("traceId", traceId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ranked.Add((traceId, reader.GetInt64(0), reader.IsDBNull(1) ? DateTime.MaxValue : reader.GetDateTime(1)));
            }
        }

        return ranked
            .OrderByDescending(t => t.Spans)
            .ThenBy(t => t.First)
            .ThenBy(t => t.TraceId, StringComparer.Ordinal)
            .Take(maxTracesPerOrder)
            .Select(t => t.TraceId)
            .ToArray();
    }

    public async Task<TraceStoreSize> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT block_size, used_blocks, total_blocks,
                   (SELECT count(*) FROM otel_traces), (SELECT min("Timestamp") FROM otel_traces)
            FROM pragma_database_size() WHERE database_name = current_database()
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return new TraceStoreSize(0, 0, 0, null);
        }

        var usedBytes = Convert.ToInt64(reader.GetValue(0)) * Convert.ToInt64(reader.GetValue(1));
        var walPath = DatabasePath + ".wal";
        var walBytes = File.Exists(walPath) ? new FileInfo(walPath).Length : 0;
        var fileBytes = File.Exists(DatabasePath) ? new FileInfo(DatabasePath).Length : 0;
        return new TraceStoreSize(
            usedBytes + walBytes,
            fileBytes + walBytes,
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc));
    }

    public async Task<DateTime?> GetTimestampAtFractionAsync(double fraction, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT quantile_disc("Timestamp", $fraction) FROM otel_traces""";
        command.Parameters.Add(new DuckDBParameter("fraction", Math.Clamp(fraction, 0, 1)));
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DateTime timestamp ? DateTime.SpecifyKind(timestamp, DateTimeKind.Utc) : null;
    }

    public async Task<long> DeleteOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var command = writeConnection.CreateCommand();
            command.CommandText = """DELETE FROM otel_traces WHERE "Timestamp" < $cutoff""";
            command.Parameters.Add(new DuckDBParameter("cutoff", DuckDbTime.ToStored(cutoff)));
            return command.ExecuteNonQuery();
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// A checkpoint; with <paramref name="rebuildIndexes"/>, the ART indexes are dropped first and built
    /// again after it. DuckDB's indexes keep the room of deleted entries (for reuse) and keep row groups
    /// from being merged, so after a large delete only a rebuild makes the file's used size match what is
    /// left. While they are rebuilt (seconds for millions of spans) lookups by trace or order id scan.
    /// </summary>
    public async Task<bool> CompactAsync(bool rebuildIndexes = false, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var command = writeConnection.CreateCommand();
            if (rebuildIndexes)
            {
                command.CommandText = DuckDbTraceSchema.DropIndexes;
                command.ExecuteNonQuery();
            }

            var checkpointed = TryCheckpoint(command);
            if (rebuildIndexes)
            {
                command.CommandText = DuckDbTraceSchema.CreateIndexes;
                command.ExecuteNonQuery();
                checkpointed = TryCheckpoint(command) && checkpointed;
            }

            return checkpointed;
        }
        finally
        {
            writeLock.Release();
        }
    }

    private static bool TryCheckpoint(DuckDBCommand command)
    {
        try
        {
            command.CommandText = "CHECKPOINT";
            command.ExecuteNonQuery();
            return true;
        }
        catch (DuckDBException)
        {
            // A checkpoint cannot run while another transaction is open; the next pass tries again,
            // and DuckDB checkpoints by itself once the WAL grows.
            return false;
        }
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

    /// <summary>A short-lived connection on this store's database instance, for read-only queries.</summary>
    public async Task<DuckDBConnection> OpenReadConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var connection = new DuckDBConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void AppendRow(DuckDBAppender appender, SpanRecord span)
    {
        var events = span.Events;
        var links = span.Links;
        appender.CreateRow()
            .AppendValue(DuckDbTime.ToStored(span.Timestamp))
            .AppendValue(span.TraceId)
            .AppendValue(span.SpanId)
            .AppendValue(span.ParentSpanId)
            .AppendValue(span.TraceState)
            .AppendValue(span.SpanName)
            .AppendValue(span.SpanKind)
            .AppendValue(span.ServiceName)
            .AppendValue(AttributeJson.Serialize(span.ResourceAttributes))
            .AppendValue(span.ScopeName)
            .AppendValue(span.ScopeVersion)
            .AppendValue(AttributeJson.Serialize(span.SpanAttributes))
            .AppendValue(span.DurationNanos)
            .AppendValue(span.StatusCode)
            .AppendValue(span.StatusMessage)
            .AppendValue(events.Select(e => DuckDbTime.ToStored(e.Timestamp)).ToList())
            .AppendValue(events.Select(e => e.Name).ToList())
            .AppendValue(events.Select(e => AttributeJson.Serialize(e.Attributes)).ToList())
            .AppendValue(links.Select(l => l.TraceId).ToList())
            .AppendValue(links.Select(l => l.SpanId).ToList())
            .AppendValue(links.Select(l => l.TraceState).ToList())
            .AppendValue(links.Select(l => AttributeJson.Serialize(l.Attributes)).ToList())
            .AppendValue(span.OrderId)
            .AppendValue(span.Venue)
            .AppendValue(span.Symbol)
            .EndRow();
    }

    private static SpanRecord ReadRow(System.Data.Common.DbDataReader reader)
    {
        var eventTimes = reader.GetFieldValue<List<DateTime>>(15);
        var eventNames = reader.GetFieldValue<List<string>>(16);
        var eventAttributes = reader.GetFieldValue<List<string>>(17);
        var linkTraceIds = reader.GetFieldValue<List<string>>(18);
        var linkSpanIds = reader.GetFieldValue<List<string>>(19);
        var linkStates = reader.GetFieldValue<List<string>>(20);
        var linkAttributes = reader.GetFieldValue<List<string>>(21);

        var events = new SpanEventRecord[eventNames.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new SpanEventRecord(
                DateTime.SpecifyKind(eventTimes[i], DateTimeKind.Utc),
                eventNames[i],
                AttributeJson.Deserialize(eventAttributes[i]));
        }

        var links = new SpanLinkRecord[linkTraceIds.Count];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = new SpanLinkRecord(linkTraceIds[i], linkSpanIds[i], linkStates[i], AttributeJson.Deserialize(linkAttributes[i]));
        }

        return new SpanRecord
        {
            Timestamp = DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc),
            TraceId = reader.GetString(1),
            SpanId = reader.GetString(2),
            ParentSpanId = reader.GetString(3),
            TraceState = reader.GetString(4),
            SpanName = reader.GetString(5),
            SpanKind = reader.GetString(6),
            ServiceName = reader.GetString(7),
            ResourceAttributes = AttributeJson.Deserialize(reader.GetString(8)),
            ScopeName = reader.GetString(9),
            ScopeVersion = reader.GetString(10),
            SpanAttributes = AttributeJson.Deserialize(reader.GetString(11)),
            DurationNanos = reader.GetInt64(12),
            StatusCode = reader.GetString(13),
            StatusMessage = reader.GetString(14),
            Events = events,
            Links = links,
        };
    }
}
