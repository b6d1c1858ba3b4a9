using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Risk;

/// <summary>
/// Net positions per client and symbol (<c>risk:position:&lt;client&gt;</c>) and the decision taken
/// for each order (<c>risk:decision:&lt;order&gt;</c>). Deciding is atomic across risk replicas
/// (optimistic: the position must not have changed between read and reserve) and idempotent: a
/// redelivered order gets its first decision back and reserves nothing twice.
/// </summary>
public sealed class PositionBook(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan DecisionRetention = TimeSpan.FromDays(1);

    private static string PositionKey(string clientId) => $"risk:position:{clientId}";
    private static string DecisionKey(string orderId) => $"risk:decision:{orderId}";

    public async Task<RiskDecision> DecideAsync(NewOrder order, Func<decimal, RiskDecision> evaluate)
    {
        var db = redis.GetDatabase();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var previous = await db.StringGetAsync(DecisionKey(order.OrderId));
            if (!previous.IsNullOrEmpty)
            {
                return JsonSerializer.Deserialize<RiskDecision>(previous.ToString(), TradingJson.Options)!;
            }

            var raw = await db.HashGetAsync(PositionKey(order.ClientId), order.Symbol);
            var current = raw.IsNullOrEmpty ? 0m : decimal.Parse(raw.ToString(), CultureInfo.InvariantCulture);
            var decision = evaluate(current);

            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.KeyNotExists(DecisionKey(order.OrderId)));
            tx.AddCondition(raw.IsNullOrEmpty
                ? Condition.HashNotExists(PositionKey(order.ClientId), order.Symbol)
                : Condition.HashEqual(PositionKey(order.ClientId), order.Symbol, raw));
            if (decision.Approved)
            {
                _ = tx.HashSetAsync(PositionKey(order.ClientId), order.Symbol, decision.PositionAfter.ToString(CultureInfo.InvariantCulture));
            }

            _ = tx.StringSetAsync(DecisionKey(order.OrderId), JsonSerializer.Serialize(decision, TradingJson.Options), DecisionRetention);
            if (await tx.ExecuteAsync())
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"Position of {order.ClientId}/{order.Symbol} kept changing; the order is retried.");
    }

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

        var db = redis.GetDatabase();
        var releasedKey = $"risk:released:{order.OrderId}";
        var delta = order.Side == OrderSide.Buy ? -unfilled : unfilled;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var raw = await db.HashGetAsync(PositionKey(order.ClientId), order.Symbol);
            var current = raw.IsNullOrEmpty ? 0m : decimal.Parse(raw.ToString(), CultureInfo.InvariantCulture);
            var tx = db.CreateTransaction();
            tx.AddCondition(Condition.KeyNotExists(releasedKey));
            tx.AddCondition(raw.IsNullOrEmpty
                ? Condition.HashNotExists(PositionKey(order.ClientId), order.Symbol)
                : Condition.HashEqual(PositionKey(order.ClientId), order.Symbol, raw));
            _ = tx.HashSetAsync(PositionKey(order.ClientId), order.Symbol, (current + delta).ToString(CultureInfo.InvariantCulture));
            _ = tx.StringSetAsync(releasedKey, unfilled.ToString(CultureInfo.InvariantCulture), DecisionRetention);
            if (await tx.ExecuteAsync())
            {
                return unfilled;
            }

            if (await db.KeyExistsAsync(releasedKey))
            {
                return 0;
            }
        }

        throw new InvalidOperationException($"Position of {order.ClientId}/{order.Symbol} kept changing; the release is retried.");
    }

    public async Task<decimal> GetPositionAsync(string clientId, string symbol)
    {
        var raw = await redis.GetDatabase().HashGetAsync(PositionKey(clientId), symbol);
        return raw.IsNullOrEmpty ? 0m : decimal.Parse(raw.ToString(), CultureInfo.InvariantCulture);
    }
}
