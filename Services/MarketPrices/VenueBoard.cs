using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.MarketPrices;

/// <summary>
/// Each venue's listings and top of book, in the Redis hash <c>market:venues</c> (field = venue,
/// value = <see cref="VenueInfo"/> JSON): written by the exchanges as prices move, read by
/// execution's router. Polling a hash costs no HTTP request (and no stray root trace) per refresh.
/// </summary>
public sealed class VenueBoard(IConnectionMultiplexer redis)
{
    public const string Key = "market:venues";

    public Task PublishAsync(IEnumerable<VenueInfo> venues) =>
        redis.GetDatabase().HashSetAsync(Key,
            venues.Select(v => new HashEntry(v.Name, JsonSerializer.Serialize(v, TradingJson.Options))).ToArray());

    public async Task<IReadOnlyList<VenueInfo>> ReadAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key);
        return entries
            .Select(e => JsonSerializer.Deserialize<VenueInfo>(e.Value.ToString(), TradingJson.Options)!)
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }
}
