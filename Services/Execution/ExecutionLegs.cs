using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.Execution;

/// <summary>
/// One child order: where it went, under which ClientOrderId, and (once known) what happened.
/// <paramref name="VenueAway"/>: the venue could not be reached and certainly did not execute it — the
/// venue said nothing about the order, so it may be offered the order again once it is back.
/// </summary>
public sealed record ExecutionLeg(int Index, string Venue, string ClientOrderId, VenueOrderResult? Result, bool VenueAway = false)
{
    /// <summary>The venue answered (filled, partly filled, rejected, not marketable, cancelled).</summary>
    public bool Answered => Result is not null && !VenueAway;
}

/// <summary>
/// The legs of each order (<c>exec:{p}:&lt;orderId&gt;</c>, in the client's partition, so an order of one partition
/// never waits for another partition's master). A leg's intent is recorded before it is sent,
/// so an execution replica that takes over after a crash re-sends the same ClientOrderId to the
/// same venue (which answers with its first result) instead of routing a second child order.
/// </summary>
public sealed class ExecutionLegs(IConnectionMultiplexer redis, StreamPartitions partitions, ReplicaAcknowledgement replicas)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private string Key(NewOrder order) => string.Concat("exec:", partitions.TagOf(order.ClientId), ":", order.OrderId);
    private static string Field(int index) => "leg:" + index.ToString(CultureInfo.InvariantCulture);

    /// <param name="beforePartitions">
    /// The order was read from a stream of the layout before partitions: legs an old process recorded under
    /// <c>exec:&lt;orderId&gt;</c> are taken over, so the order is not routed twice.
    /// </param>
    public async Task<List<ExecutionLeg>> LoadAsync(NewOrder order, bool beforePartitions = false)
    {
        var db = redis.GetDatabase();
        var key = Key(order);
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length == 0 && beforePartitions && await db.HashGetAllAsync("exec:" + order.OrderId) is { Length: > 0 } old)
        {
            await db.HashSetAsync(key, old);
            await db.KeyExpireAsync(key, Retention);
            entries = old;
        }

        return entries
            .Select(e => JsonSerializer.Deserialize<ExecutionLeg>(e.Value.ToString(), TradingJson.Options)!)
            .OrderBy(l => l.Index)
            .ToList();
    }

    /// <summary>Records the intent unless another replica recorded this leg first; returns the leg that stands.</summary>
    public async Task<ExecutionLeg> RecordIntentAsync(NewOrder order, ExecutionLeg leg)
    {
        var db = redis.GetDatabase();
        var key = Key(order);
        if (await db.HashSetAsync(key, Field(leg.Index), JsonSerializer.Serialize(leg, TradingJson.Options), When.NotExists))
        {
            await db.KeyExpireAsync(key, Retention);
            // The intent must outlive a failover before the child order leaves: else a retry could route it elsewhere.
            await replicas.WaitAsync(key);
            return leg;
        }

        var existing = await db.HashGetAsync(key, Field(leg.Index));
        return JsonSerializer.Deserialize<ExecutionLeg>(existing.ToString(), TradingJson.Options)!;
    }

    public Task RecordResultAsync(NewOrder order, ExecutionLeg leg) =>
        redis.GetDatabase().HashSetAsync(Key(order), Field(leg.Index), JsonSerializer.Serialize(leg, TradingJson.Options));
}
