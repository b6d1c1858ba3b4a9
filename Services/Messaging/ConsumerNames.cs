using System.Globalization;

namespace TradingAspire.Messaging;

/// <summary>
/// A consumer's name in its group: <c>Messaging:ConsumerName</c> when configured; else <c>&lt;group&gt;-&lt;replica index&gt;</c>
/// when the orchestrator says which replica this process is (<see cref="ReplicaIndexVariable"/>, set by the AppHost), stable
/// across restarts, so a replica that comes back reads its own pending entries first; else
/// <c>&lt;group&gt;-&lt;machine&gt;-&lt;pid&gt;</c> (a new consumer per process, its dead predecessor's entries claimed after
/// <c>ClaimIdleTime</c>).
/// </summary>
public static class ConsumerNames
{
    public const string ReplicaIndexVariable = "TRADING_REPLICA_INDEX";

    public static string For(string group, string? configured) =>
        configured ?? Default(group, Environment.GetEnvironmentVariable(ReplicaIndexVariable), Environment.MachineName, Environment.ProcessId);

    public static string Default(string group, string? replicaIndex, string machine, int processId) =>
        int.TryParse(replicaIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? string.Create(CultureInfo.InvariantCulture, $"{group}-{index}")
            : string.Create(CultureInfo.InvariantCulture, $"{group}-{machine}-{processId}");
}
