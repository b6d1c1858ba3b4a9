using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace TradingAspire.Benchmarks;

/// <summary>A throw-away redis-server on a free loopback port.</summary>
internal sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process process;
    private readonly string dir;

    private LocalRedis(Process process, string dir, string connectionString)
    {
        this.process = process;
        this.dir = dir;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <param name="settings">Extra redis-server arguments, e.g. <c>--appendonly yes --appendfsync always</c> (they override the defaults).</param>
    public static async Task<LocalRedis> StartAsync(params string[] settings)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dir = Directory.CreateTempSubdirectory("ta-bench-").FullName;
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no", "--dir", dir, .. settings])
        { RedirectStandardOutput = true }) ?? throw new InvalidOperationException("redis-server is not installed.");
        var redis = new LocalRedis(process, dir, $"127.0.0.1:{port}");
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",connectTimeout=200");
                return redis;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("redis-server did not answer.");
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        Directory.Delete(dir, recursive: true);
    }
}
