using System.Text.Json;

namespace TradingAspire.Messaging;

/// <summary>Settings for every stream consumer of a service (section <c>Messaging</c>).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Connection string name (ConnectionStrings:&lt;name&gt;).</summary>
    public string ConnectionName { get; set; } = "redis";

    /// <summary>This process's consumer name inside its group; defaults to service-host-pid.</summary>
    public string? ConsumerName { get; set; }

    /// <summary>
    /// Partitions of each order stream (<see cref="TradingAspire.Contracts.StreamPartitions"/>): the same in every
    /// service. Changing it moves clients to other partitions, so change it with the pipeline drained.
    /// </summary>
    public int Partitions { get; set; } = 1;

    /// <summary>
    /// Replicas that must acknowledge a write before the gateway answers 202, execution sends a child order or a venue
    /// executes one (<see cref="ReplicaAcknowledgement"/>); 0: none (one Redis). The AppHost sets 1 on a cluster with replicas.
    /// </summary>
    public int ReplicaAcks { get; set; }

    /// <summary>Longest wait for <see cref="ReplicaAcks"/> (then the write is counted as unreplicated and the work goes on).</summary>
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Entries read per XREADGROUP and processed concurrently at most.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>How long one blocking XREADGROUP waits for new entries on the dedicated connection.</summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An entry pending this long without an ack is taken over (its consumer is presumed dead).</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often pending entries are checked for reclaim, and lag gauges refreshed.</summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A consumer with nothing pending that has not read for this long belongs to a dead process and is removed from its group.</summary>
    public TimeSpan ConsumerExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deliveries after which a failing entry is moved to &lt;stream&gt;.dead.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long a handler may keep failing with <see cref="TransientMessageException"/> before its entry is dead-lettered.</summary>
    public TimeSpan TransientRetryBudget { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First delay before an entry that failed is delivered again (exponential, jittered).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Entries acknowledged by every group and older than this are trimmed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long shutdown waits for in-flight entries before leaving them pending for reclaim.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Payload serialization: strict, so a malformed entry is poison rather than a message full of nulls.</summary>
    public JsonSerializerOptions Json { get; set; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
