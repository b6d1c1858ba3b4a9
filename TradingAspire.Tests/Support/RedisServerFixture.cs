using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace TradingAspire.Tests.Support;

/// <summary>A real redis-server on a free loopback port with a password, for library-level tests.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? process;
    private string? dataDir;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The redis-server process id (to freeze it with SIGSTOP, or kill it).</summary>
    public int Pid => process?.Id ?? throw new InvalidOperationException("Not started.");
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        const string password = "test-password-42";
        dataDir = Path.Combine(Path.GetTempPath(), "ta-redis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(), "--requirepass", password, "--dir", dataDir, "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();

        ConnectionString = $"127.0.0.1:{port},password={password}";
        Connection = await Eventually.Get(async () =>
        {
            var options = ConfigurationOptions.Parse(ConnectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 500;
            return (ConnectionMultiplexer?)await ConnectionMultiplexer.ConnectAsync(options);
        }, TimeSpan.FromSeconds(15), "redis-server to accept connections");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (dataDir is not null && Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
