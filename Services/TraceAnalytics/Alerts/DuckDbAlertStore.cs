using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>Every alert that fired, with its offending trace ids and, once resolved, when (table <c>alerts</c>).</summary>
public interface IAlertStore
{
    Task SaveAsync(LatencyAlert alert, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LatencyAlert>> ListAsync(bool firingOnly, int limit, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IAlertStore"/> in <see cref="AlertTable"/>: saved on the database's write path, listed on a read connection.</summary>
public sealed class DuckDbAlertStore(TraceDatabase database) : IAlertStore
{
    public async Task SaveAsync(LatencyAlert alert, CancellationToken cancellationToken = default)
    {
        var statement = new DuckDbQuery($"""
                INSERT OR REPLACE INTO {AlertTable.Name} VALUES ($id, $rule, $group, $state, $stage, $measure, $value, $threshold, $started, $resolved, $traces, $summary)
                """)
            .Bind("id", alert.Id)
            .Bind("rule", alert.Rule)
            .Bind("group", alert.Group)
            .Bind("state", alert.State.ToString())
            .Bind("stage", alert.Stage)
            .Bind("measure", alert.Measure)
            .Bind("value", alert.ValueMs)
            .Bind("threshold", alert.ThresholdMs)
            .Bind("started", alert.StartedAt.UtcDateTime)
            .Bind("resolved", alert.ResolvedAt?.UtcDateTime)
            .Bind("traces", JsonSerializer.Serialize(alert.TraceIds))
            .Bind("summary", alert.Summary);
        await database.ExecuteAsync(statement, cancellationToken);
    }

    public async Task<IReadOnlyList<LatencyAlert>> ListAsync(bool firingOnly, int limit, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""
                SELECT {AlertTable.Columns}
                FROM {AlertTable.Name} {(firingOnly ? "WHERE State = 'Firing'" : "")} ORDER BY StartedAt DESC LIMIT $limit
                """)
            .Bind("limit", Math.Clamp(limit, 1, 1000));
        return await database.QueryAsync(query, row => new LatencyAlert(
            row.String("Id"), row.String("Rule"), row.String("GroupKey"), Enum.Parse<AlertState>(row.String("State")),
            row.String("Stage"), row.String("Measure"), row.Double("ValueMs"), row.Double("ThresholdMs"),
            new DateTimeOffset(row.Time("StartedAt")),
            row.NullableTime("ResolvedAt") is { } resolved ? new DateTimeOffset(resolved) : null,
            JsonSerializer.Deserialize<List<string>>(row.String("TraceIds")) ?? [],
            row.String("Summary")), cancellationToken);
    }
}
