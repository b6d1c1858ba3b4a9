using System.Globalization;
using StackExchange.Redis;

namespace TradingAspire.MarketPrices;

/// <summary>
/// The last trade price per symbol, in the Redis hash <c>market:last</c>: the simulated exchanges
/// write it as prices move; risk reads it for collars and valuation, the order-flow generator to
/// price its limit orders.
/// </summary>
public sealed class LastTradePrices(IConnectionMultiplexer redis)
{
    public const string Key = "market:last";

    public async Task<decimal?> GetAsync(string symbol)
    {
        var value = await redis.GetDatabase().HashGetAsync(Key, symbol);
        return value.IsNullOrEmpty ? null : decimal.Parse(value.ToString(), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyDictionary<string, decimal>> GetAllAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key);
        return entries.ToDictionary(e => e.Name.ToString(), e => decimal.Parse(e.Value.ToString(), CultureInfo.InvariantCulture));
    }

    public Task SetAsync(IReadOnlyDictionary<string, decimal> prices) =>
        redis.GetDatabase().HashSetAsync(Key,
            prices.Select(p => new HashEntry(p.Key, p.Value.ToString(CultureInfo.InvariantCulture))).ToArray());
}
