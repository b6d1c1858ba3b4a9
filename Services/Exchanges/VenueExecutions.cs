using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.Exchanges;

/// <summary>
/// The venue's memory of child orders (<c>venue:exec:&lt;venue&gt;:&lt;clientOrderId&gt;</c>): a
/// ClientOrderId is executed once; a repeat (a retry, or execution reclaiming the order after a
/// crash) gets the first answer back and never a second fill.
/// </summary>
public sealed class VenueExecutions(IConnectionMultiplexer redis, ReplicaAcknowledgement replicas)
{
    private const string InProgress = "in-progress";
    private const string CancelledMarker = "cancelled";
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private static string Key(string venue, string clientOrderId) => $"venue:exec:{venue}:{clientOrderId}";

    /// <summary>Claims the ClientOrderId. Null when this call may execute it; else the earlier result (or null result while in progress).</summary>
    public async Task<(bool Claimed, VenueOrderResult? Previous)> ClaimAsync(string venue, string clientOrderId)
    {
        var db = redis.GetDatabase();
        var key = Key(venue, clientOrderId);
        // A claim that never completes (the venue crashed mid-order) expires so a retry can execute it.
        if (await db.StringSetAsync(key, InProgress, ClaimTimeout, When.NotExists))
        {
            // The claim must outlive a failover before the order executes: else a repeat would execute it twice.
            await replicas.WaitAsync(key);
            return (true, null);
        }

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var value = await db.StringGetAsync(key);
            if (value.IsNullOrEmpty)
            {
                return await ClaimAsync(venue, clientOrderId);
            }

            if (value == CancelledMarker)
            {
                return (false, Cancelled(venue, clientOrderId));
            }

            if (value != InProgress)
            {
                return (false, JsonSerializer.Deserialize<VenueOrderResult>(value.ToString(), TradingJson.Options));
            }

            await Task.Delay(50);
        }

        return (false, null);
    }

    /// <summary>Longest a child order may stay in progress (latency included) before its claim lapses.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Cancel-if-not-executed: a ClientOrderId the venue never saw is marked cancelled (a late copy
    /// will not execute); one in progress is waited for; one done answers with its result. This is
    /// how execution resolves a child order whose outcome it does not know.
    /// </summary>
    public async Task<VenueOrderResult?> CancelAsync(string venue, string clientOrderId)
    {
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(Key(venue, clientOrderId), CancelledMarker, Retention, When.NotExists))
        {
            return Cancelled(venue, clientOrderId);
        }

        var (_, previous) = await ClaimAsync(venue, clientOrderId);
        return previous;
    }

    private static VenueOrderResult Cancelled(string venue, string clientOrderId) =>
        new(clientOrderId, venue, VenueOrderStatus.Cancelled, 0, null, null, "cancelled_before_execution", 0, DateTimeOffset.UtcNow);

    public Task CompleteAsync(VenueOrderResult result) =>
        redis.GetDatabase().StringSetAsync(Key(result.Venue, result.ClientOrderId), JsonSerializer.Serialize(result, TradingJson.Options), Retention);
}
