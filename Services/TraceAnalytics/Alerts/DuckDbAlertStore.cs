using System.Text.Json;
using DuckDB.NET.Data;
using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>Every alert that fired, with its offending trace ids and, once resolved, when (table <c>alerts</c>).</summary>
public interface IAlertStore
{
    Task SaveAsync(LatencyAlert alert, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LatencyAlert>> ListAsync(bool firingOnly, int limit, CancellationToken cancellationToken = default);
}

public sealed class DuckDbAlertStore(DuckDbTraceStore store) : IAlertStore
{
    private readonly SemaphoreSlim schemaLock = new(1, 1);
    private bool schemaReady;

    private async Task<DuckDBConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await store.OpenReadConnectionAsync(cancellationToken);
        if (!schemaReady)
        {
            await schemaLock.WaitAsync(cancellationToken);
            try
            {
                await using var create = connection.CreateCommand();
                create.CommandText = """
                    CREATE TABLE IF NOT EXISTS alerts (
                        Id VARCHAR PRIMARY KEY, Rule VARCHAR, GroupKey VARCHAR, State VARCHAR, Stage VARCHAR, Measure VARCHAR,
                        ValueMs DOUBLE, ThresholdMs DOUBLE, StartedAt TIMESTAMP, ResolvedAt TIMESTAMP, TraceIds VARCHAR, Summary VARCHAR)
                    """;
                await create.ExecuteNonQueryAsync(cancellationToken);
                schemaReady = true;
            }
            finally
            {
                schemaLock.Release();
            }
        }

        return connection;
    }

    public async Task SaveAsync(LatencyAlert alert, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO alerts VALUES ($id, $rule, $group, $state, $stage, $measure, $value, $threshold, $started, $resolved, $traces, $summary)
            """;
        command.Parameters.Add(new DuckDBParameter("id", alert.Id));
        command.Parameters.Add(new DuckDBParameter("rule", alert.Rule));
        command.Parameters.Add(new DuckDBParameter("group", alert.Group));
        command.Parameters.Add(new DuckDBParameter("state", alert.State.ToString()));
        command.Parameters.Add(new DuckDBParameter("stage", alert.Stage));
        command.Parameters.Add(new DuckDBParameter("measure", alert.Measure));
        command.Parameters.Add(new DuckDBParameter("value", alert.ValueMs));
        command.Parameters.Add(new DuckDBParameter("threshold", alert.ThresholdMs));
        command.Parameters.Add(new DuckDBParameter("started", alert.StartedAt.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("resolved", alert.ResolvedAt?.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("traces", JsonSerializer.Serialize(alert.TraceIds)));
        command.Parameters.Add(new DuckDBParameter("summary", alert.Summary));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LatencyAlert>> ListAsync(bool firingOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT Id, Rule, GroupKey, State, Stage, Measure, ValueMs, ThresholdMs, StartedAt, ResolvedAt, TraceIds, Summary
            FROM alerts {(firingOnly ? "WHERE State = 'Firing'" : "")} ORDER BY StartedAt DESC LIMIT {Math.Clamp(limit, 1, 1000)}
            """;
        var alerts = new List<LatencyAlert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new LatencyAlert(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<AlertState>(reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), reader.GetDouble(6), reader.GetDouble(7),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc)),
                reader.IsDBNull(9) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc)),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(10)) ?? [],
                reader.GetString(11)));
        }

        return alerts;
    }
}
