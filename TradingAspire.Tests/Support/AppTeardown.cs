using Aspire.Hosting;
using StackExchange.Redis;

namespace TradingAspire.Tests.Support;

/// <summary>How a fixture that started the AppHost ends: its Redis connection, then the app, then its data folder.</summary>
public static class AppTeardown
{
    public static async Task DisposeAsync(ConnectionMultiplexer? redis, DistributedApplication? app, string dataRoot)
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // redis-server may still be writing its AOF for a few seconds after the app stops.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
