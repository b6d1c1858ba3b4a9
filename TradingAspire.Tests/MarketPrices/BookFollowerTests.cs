using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketPrices;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class BookFollowerTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture redis;

    public BookFollowerTests(RedisServerFixture redis) => this.redis = redis;

    private static BookQuote Quote(string venue, string symbol, decimal bid, long received) =>
        new(venue, symbol, bid, bid + 1, 1, 1, received, received, false);

    [Fact]
    public async Task The_book_loads_what_is_in_the_hash_then_follows_the_published_updates()
    {
        var db = redis.Connection.GetDatabase();
        await db.KeyDeleteAsync(BookKeys.HashKey);
        var first = Quote("binance", "ETH-USD", 3000, 1_000);
        await db.HashSetAsync(BookKeys.HashKey, BookKeys.Field(first.Venue, first.Symbol), JsonSerializer.Serialize(first, TradingJson.Options));

        var book = new ConsolidatedBook();
        using var follower = new BookFollower(redis.Connection, book, NullLogger<BookFollower>.Instance);
        await follower.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.True(() => Task.FromResult(book.Current.For("ETH-USD").Count == 1), TimeSpan.FromSeconds(10), "the hash to be loaded");

            // Published after the subscription: applied without waiting for a reload.
            var update = JsonSerializer.Serialize(new[] { Quote("binance", "ETH-USD", 3010, 2_000), Quote("kraken", "ETH-USD", 3005, 2_000) }, TradingJson.Options);
            await Eventually.True(async () =>
            {
                await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(BookKeys.UpdatesChannel), update);
                return book.Current.For("ETH-USD") is { Count: 2 } quotes && quotes[0].Bid == 3010;
            }, TimeSpan.FromSeconds(10), "the published update to reach the book");

            // A malformed update is ignored; the book keeps going.
            await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(BookKeys.UpdatesChannel), "{not json");
            var later = JsonSerializer.Serialize(new[] { Quote("coinbase", "ETH-USD", 2999, 3_000) }, TradingJson.Options);
            await Eventually.True(async () =>
            {
                await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(BookKeys.UpdatesChannel), later);
                return book.Current.For("ETH-USD").Count == 3;
            }, TimeSpan.FromSeconds(10), "an update after a malformed one to be applied");
        }
        finally
        {
            await follower.StopAsync(CancellationToken.None);
        }
    }
}
