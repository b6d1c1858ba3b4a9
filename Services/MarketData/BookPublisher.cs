using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;

namespace TradingAspire.MarketData;

/// <summary>
/// Every <c>PublishInterval</c>: the quotes that changed (or turned stale, or fresh again) go into the hash
/// <c>marketdata:book</c> and, as one JSON array, onto the channel <c>marketdata:book:updates</c>. A quote of a
/// symbol without an update for <c>StaleAfter</c>, or of a venue whose feed is down, is published with
/// <c>Stale = true</c>. Housekeeping: no traces.
/// </summary>
public sealed partial class BookPublisher(
    FeedRegistry registry,
    IConnectionMultiplexer redis,
    IOptions<MarketDataOptions> options,
    ILogger<BookPublisher> logger) : BackgroundService
{
    private readonly List<BookQuote> changed = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PublishInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PublishChangesAsync();
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    LogPublishFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Publishes what changed since the last call; returns how many quotes.</summary>
    public async Task<int> PublishChangesAsync()
    {
        changed.Clear();
        var staleBefore = VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow - options.Value.StaleAfter);
        foreach (var feed in registry.All)
        {
            feed.Book.CollectChanges(!feed.Subscribed, staleBefore, changed);
        }

        if (changed.Count == 0)
        {
            return 0;
        }

        var entries = new HashEntry[changed.Count];
        for (var i = 0; i < changed.Count; i++)
        {
            var quote = changed[i];
            entries[i] = new HashEntry(BookKeys.Field(quote.Venue, quote.Symbol), JsonSerializer.Serialize(quote, TradingJson.Options));
        }

        var payload = JsonSerializer.Serialize(changed, TradingJson.Options);
        using (SuppressInstrumentationScope.Begin())
        {
            var db = redis.GetDatabase();
            var batch = db.CreateBatch();
            var set = batch.HashSetAsync(BookKeys.HashKey, entries);
            var publish = batch.PublishAsync(RedisChannel.Literal(BookKeys.UpdatesChannel), payload);
            batch.Execute();
            await Task.WhenAll(set, publish);
        }

        return changed.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the book failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string error);
}
