using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.MarketPrices;

/// <summary>
/// Keeps <see cref="ConsolidatedBook"/> current: subscribes to <see cref="BookKeys.UpdatesChannel"/>, then
/// loads the whole hash <see cref="BookKeys.HashKey"/>; reloads it after a lost connection (pub/sub
/// messages sent meanwhile are gone) and every <see cref="ReloadInterval"/> as a safety net. Outside any
/// trace: following prices is not part of an order's journey.
/// </summary>
public sealed partial class BookFollower(IConnectionMultiplexer redis, ConsolidatedBook book, ILogger<BookFollower> logger) : BackgroundService
{
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EmptyRetry = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim reload = new(0);
    private int badMessages;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var _ = SuppressInstrumentationScope.Begin();
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            var subscribed = false;
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!subscribed)
                    {
                        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(BookKeys.UpdatesChannel), (_, message) => OnUpdate(message));
                        subscribed = true;
                    }

                    book.Apply(await LoadAsync());
                    failures = 0;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
                {
                    if (failures++ % 30 == 0)
                    {
                        LogLoadFailed(ex);
                    }
                }

                try
                {
                    await reload.WaitAsync(book.Current.IsEmpty ? EmptyRetry : ReloadInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => reload.Release();

    private async Task<IReadOnlyList<BookQuote>> LoadAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(BookKeys.HashKey);
        var quotes = new List<BookQuote>(entries.Length);
        foreach (var entry in entries)
        {
            if (JsonSerializer.Deserialize<BookQuote>(entry.Value.ToString(), TradingJson.Options) is { } quote)
            {
                quotes.Add(quote);
            }
        }

        return quotes;
    }

    private void OnUpdate(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<BookQuote[]>((byte[])message!, TradingJson.Options) is { Length: > 0 } quotes)
            {
                book.Apply(quotes);
            }
        }
        catch (JsonException ex)
        {
            if (badMessages++ % 100 == 0)
            {
                LogBadUpdate(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the consolidated book from Redis failed")]
    private partial void LogLoadFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A consolidated-book update could not be read")]
    private partial void LogBadUpdate(Exception ex);
}

public static class BookRegistration
{
    /// <summary>The consolidated book, followed from Redis (needs an <see cref="IConnectionMultiplexer"/>).</summary>
    public static IServiceCollection AddConsolidatedBook(this IServiceCollection services)
    {
        services.AddSingleton<ConsolidatedBook>();
        services.AddHostedService<BookFollower>();
        return services;
    }
}
