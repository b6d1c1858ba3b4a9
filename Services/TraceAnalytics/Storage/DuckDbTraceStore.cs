using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceStore"/> on an embedded DuckDB file. One database instance per process: DuckDB.NET
/// shares it between every connection opened on the same path, and this store keeps one connection open
/// for its lifetime (so the instance stays up) which only the writer uses, one batch at a time.
/// Each query opens its own short-lived connection on the same instance; DuckDB's MVCC lets queries
/// run while a batch is appended and shows each committed batch at once.
/// </summary>
public sealed class DuckDbTraceStore : ITraceStore, IDisposable
{
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

    public async Task<IReadOnlyList<string>> FindTraceIdsByOrderIdAsync(string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH order_traces AS (
                SELECT DISTINCT "TraceId" FROM otel_traces WHERE "OrderId" = $orderId
            )
            SELECT t."TraceId", count(DISTINCT t."SpanId") AS span_count, min(t."Timestamp") AS first_start
            FROM otel_traces t
            WHERE t."TraceId" IN (SELECT "TraceId" FROM order_traces)
            GROUP BY t."TraceId"
            ORDER BY span_count DESC, first_start, t."TraceId"
            LIMIT $limit
            """;
        command.Parameters.Add(new DuckDBParameter("orderId", orderId));
        command.Parameters.Add(new DuckDBParameter("limit", maxTracesPerOrder));

        var traceIds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            traceIds.Add(reader.GetString(0));
        }

        return traceIds;
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

    private async Task<DuckDBConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
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
            .AppendValue(DateTime.SpecifyKind(span.Timestamp, DateTimeKind.Unspecified))
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
            .AppendValue(events.Select(e => DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Unspecified)).ToList())
            .AppendValue(events.Select(e => e.Name).ToList())
            .AppendValue(events.Select(e => AttributeJson.Serialize(e.Attributes)).ToList())
            .AppendValue(links.Select(l => l.TraceId).ToList())
            .AppendValue(links.Select(l => l.SpanId).ToList())
            .AppendValue(links.Select(l => l.TraceState).ToList())
            .AppendValue(links.Select(l => AttributeJson.Serialize(l.Attributes)).ToList())
            .AppendValue(span.OrderId)
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
