using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Risk;

/// <summary>
/// Net positions per client and symbol (<c>risk:position:&lt;client&gt;</c>), changed at most once per
/// order and purpose: the decision taken for each order (<c>risk:decision:&lt;order&gt;</c>) and the
/// release of what it left unfilled (<c>risk:released:&lt;order&gt;</c>). Every change is atomic across
/// risk replicas (optimistic: the position must not have changed between read and write) and
/// idempotent: a redelivered order gets its first result back and moves nothing twice.
/// </summary>
public sealed class PositionBook(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan MarkerRetention = TimeSpan.FromDays(1);

    private static string PositionKey(string clientId) => $"risk:position:{clientId}";

    public Task<RiskDecision> DecideAsync(NewOrder order, Func<decimal, RiskDecision> evaluate) =>
        ChangeOnceAsync(order, $"risk:decision:{order.OrderId}",
            position =>
            {
                var decision = evaluate(position);
                return (decision.Approved ? decision.PositionAfter : null, JsonSerializer.Serialize(decision, TradingJson.Options), decision);
            },
            marker => JsonSerializer.Deserialize<RiskDecision>(marker, TradingJson.Options)!);

    /// <summary>
    /// Gives back the part of an approved order that did not fill (a partial fill, a failed
    /// execution), once per order: risk reserves at approval, exposure follows fills.
    /// Returns the quantity released (0 when nothing was left to release or it was done before).
    /// </summary>
    public async Task<decimal> ReleaseUnfilledAsync(NewOrder order, decimal filledQuantity)
    {
        var unfilled = order.Quantity - filledQuantity;
        if (unfilled <= 0)
        {
            return 0;
        }

        var delta = order.Side == OrderSide.Buy ? -unfilled : unfilled;
        return await ChangeOnceAsync(order, $"risk:released:{order.OrderId}",
            position => (position + delta, unfilled.ToString(CultureInfo.InvariantCulture), unfilled),
            _ => 0m);
    }

    public async Task<decimal> GetPositionAsync(string clientId, string symbol)
    {
        var raw = await redis.GetDatabase().HashGetAsync(PositionKey(clientId), symbol);
        return Parse(raw);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the order's position unless <paramref name="markerKey"/>
    /// says it was applied before (then <paramref name="previous"/> turns the marker into the result).
    /// The change returns the new position (null: leave it) and the marker to store with it.
    /// </summary>
    private async Task<T> ChangeOnceAsync<T>(
        NewOrder order, string markerKey, Func<decimal, (decimal? Position, string Marker, T Result)> change, Func<string, T> previous)
    {
        var db = redis.GetDatabase();
        var positionKey = PositionKey(order.ClientId);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var marker = await db.StringGetAsync(markerKey);
            if (!marker.IsNullOrEmpty)
            {
                return previous(marker.ToString());
            }

            var raw = await db.HashGetAsync(positionKey, order.Symbol);
            var (position, newMarker, result) = change(Parse(raw));

            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.KeyNotExists(markerKey));
            tx.AddCondition(raw.IsNullOrEmpty
                ? Condition.HashNotExists(positionKey, order.Symbol)
                : Condition.HashEqual(positionKey, order.Symbol, raw));
            if (position is { } updated)
            {
                _ = tx.HashSetAsync(positionKey, order.Symbol, updated.ToString(CultureInfo.InvariantCulture));
            }

            _ = tx.StringSetAsync(markerKey, newMarker, MarkerRetention);
            if (await tx.ExecuteAsync())
            {
                return result;
            }
        }

        throw new InvalidOperationException($"Position of {order.ClientId}/{order.Symbol} kept changing; the order is retried.");
    }

    private static decimal Parse(RedisValue raw) =>
        raw.IsNullOrEmpty ? 0m : decimal.Parse(raw.ToString(), CultureInfo.InvariantCulture);
}
