namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>The <c>alerts</c> table: one row per alert (its id), replaced as the alert changes state.</summary>
internal static class AlertTable
{
    public const string Name = "alerts";

    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS {Name} (
            Id VARCHAR PRIMARY KEY, Rule VARCHAR, GroupKey VARCHAR, State VARCHAR, Stage VARCHAR, Measure VARCHAR,
            ValueMs DOUBLE, ThresholdMs DOUBLE, StartedAt TIMESTAMP, ResolvedAt TIMESTAMP, TraceIds VARCHAR, Summary VARCHAR)
        """;

    /// <summary>Every column, in table order.</summary>
    public const string Columns = "Id, Rule, GroupKey, State, Stage, Measure, ValueMs, ThresholdMs, StartedAt, ResolvedAt, TraceIds, Summary";
}
