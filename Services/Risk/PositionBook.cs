using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Risk;

/// <summary>
/// Net positions per client and symbol (<c>risk:position:{p}:&lt;client&gt;</c>), changed at most once per
/// order and purpose: the decision taken for each order (<c>risk:decision:{p}:&lt;order&gt;</c>) and the
/// release of what it left unfilled (<c>risk:released:{p}:&lt;order&gt;</c>). Every key carries the hash tag
/// of the client's partition (<c>{p}</c>), so the script's keys share one slot on a Redis Cluster. Every change is atomic across
/// risk replicas and idempotent: one read (the marker and the position, pipelined), then one
/// compare-and-set script that writes only if the marker is still absent and the position unchanged;
/// if another replica moved the position, the script answers the new value and the change is
/// evaluated again on it. A redelivered order gets its first result back and moves nothing twice.
/// </summary>
public sealed class PositionBook(IConnectionMultiplexer redis, StreamPartitions partitions)
{
    private static readonly TimeSpan MarkerRetention = TimeSpan.FromDays(1);

    // KEYS: position hash, marker. ARGV: symbol, the position the change was computed from ('' = none),
    // the new position ('' = leave it), the marker, its retention in seconds.
    // Returns {0, marker} if changed before, {1, position} if the position moved meanwhile, {2} when written.
    private const string CompareAndSetScript = """
        local marker = redis.call('GET', KEYS[2])
        if marker then
          return {0, marker}
        end
        local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
        if current ~= ARGV[2] then
          return {1, current}
        end
        if ARGV[3] ~= '' then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        end
        redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[5])
        return {2}
        """;

    private string PositionKey(string clientId) => PositionKey(partitions, clientId);

    /// <summary>A client's positions by symbol, in the client's partition.</summary>
    public static string PositionKey(StreamPartitions partitions, string clientId) => string.Concat("risk:position:", partitions.TagOf(clientId), ":", clientId);

    private string MarkerKey(string purpose, NewOrder order) => string.Concat("risk:", purpose, ":", partitions.TagOf(order.ClientId), ":", order.OrderId);

    public Task<RiskDecision> DecideAsync(NewOrder order, Func<decimal, Task<RiskDecision>> evaluate) =>
        ChangeOnceAsync(order, MarkerKey("decision", order),
            async position =>
            {
                var decision = await evaluate(position);
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
        return await ChangeOnceAsync(order, MarkerKey("released", order),
            position => Task.FromResult<(decimal?, string, decimal)>((position + delta, unfilled.ToString(CultureInfo.InvariantCulture), unfilled)),
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
        NewOrder order, string markerKey, Func<decimal, Task<(decimal? Position, string Marker, T Result)>> change, Func<string, T> previous)
    {
        var db = redis.GetDatabase();
        var positionKey = PositionKey(order.ClientId);
        var markerRead = db.StringGetAsync(markerKey);
        var positionRead = db.HashGetAsync(positionKey, order.Symbol);
        var marker = await markerRead;
        if (!marker.IsNullOrEmpty)
        {
            return previous(marker.ToString());
        }

        var seen = (await positionRead).ToString() ?? "";
        RedisKey[] keys = [positionKey, markerKey];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (position, newMarker, result) = await change(Parse(seen));
            var answer = (RedisResult[])(await db.ScriptEvaluateAsync(CompareAndSetScript, keys,
            [
                order.Symbol, seen, position?.ToString(CultureInfo.InvariantCulture) ?? "", newMarker, (long)MarkerRetention.TotalSeconds,
            ]))!;
            switch ((int)answer[0])
            {
                case 0:
                    return previous(answer[1].ToString());
                case 1:
                    seen = answer[1].ToString();
                    continue;
                default:
                    return result;
            }
        }

        throw new InvalidOperationException($"Position of {order.ClientId}/{order.Symbol} kept changing; the order is retried.");
    }

    private static decimal Parse(string raw) =>
        raw.Length == 0 ? 0m : decimal.Parse(raw, CultureInfo.InvariantCulture);

    private static decimal Parse(RedisValue raw) =>
        raw.IsNullOrEmpty ? 0m : decimal.Parse(raw.ToString(), CultureInfo.InvariantCulture);
}
