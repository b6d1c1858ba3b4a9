using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using TradingAspire.AppHost;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Gateway;

/// <summary>
/// An order answered 202 is on disk before the gateway hears "accepted": redis-server runs under strace
/// with the AOF policy the AppHost uses, the real gateway accepts orders over HTTP, and the system calls
/// show, for every accept reply, the AOF write and its fdatasync before the reply is written to the socket.
/// (A killed redis-server loses nothing either way, its writes are in the page cache; this is what makes a
/// machine crash lose nothing.) The same check on <c>everysec</c> must see replies go out before the fsync.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class AcceptDurabilityTests
{
    [Fact]
    public async Task With_the_apphost_policy_every_accept_is_fsynced_before_redis_answers()
    {
        Assert.Equal("always", TradingRedis.DefaultAppendFsync);
        var replies = await AcceptUnderStraceAsync(TradingRedis.DefaultAppendFsync, orders: 10);
        Assert.Equal(10, replies.Count);
        Assert.All(replies, r => Assert.True(r.FsyncedBefore, $"reply at line {r.Line} went out before its AOF write was fsynced"));
    }

    [Fact]
    public async Task With_everysec_replies_go_out_before_the_fsync_which_the_check_sees()
    {
        var replies = await AcceptUnderStraceAsync("everysec", orders: 10);
        Assert.Equal(10, replies.Count);
        Assert.Contains(replies, r => !r.FsyncedBefore);
    }

    private sealed record Reply(int Line, bool FsyncedBefore);

    private static async Task<IReadOnlyList<Reply>> AcceptUnderStraceAsync(string appendFsync, int orders)
    {
        var dir = Directory.CreateTempSubdirectory("ta-aof-").FullName;
        var trace = Path.Combine(dir, "strace.txt");
        var port = FreePort();
        const string password = "aof-test-password";
        using var strace = Process.Start(new ProcessStartInfo("strace",
            ["-f", "-e", "trace=write,writev,fdatasync,fsync", "-s", "96", "-o", trace,
             "redis-server", "--bind", "127.0.0.1", "--port", port.ToString(), "--requirepass", password, "--dir", dir,
             "--save", "", "--appendonly", "yes", "--appendfsync", appendFsync])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("strace did not start; install it with apt-get install strace.");
        strace.OutputDataReceived += (_, _) => { };
        strace.BeginOutputReadLine();
        try
        {
            var connectionString = $"127.0.0.1:{port},password={password}";
            await using (var admin = await Eventually.Get(async () =>
                (ConnectionMultiplexer?)await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true,connectTimeout=500"),
                TimeSpan.FromSeconds(15), "redis-server under strace"))
            {
                await using (var gateway = await GatewayHost.StartAsync(connectionString))
                {
                    using var http = gateway.ClientFor("aof-test");
                    for (var i = 0; i < orders; i++)
                    {
                        using var response = await http.PostAsJsonAsync("/orders", new { symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m });
                        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    }
                }

                try
                {
                    admin.GetServers()[0].Shutdown(ShutdownMode.Never);
                }
                catch (RedisConnectionException)
                {
                    // It went away while answering: that is what SHUTDOWN does.
                }
            }

            await strace.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            return Replies(await File.ReadAllLinesAsync(trace));
        }
        finally
        {
            if (!strace.HasExited)
            {
                strace.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Each accept reply (a socket write of <c>*2 $8 accepted …</c>) and whether an fdatasync of the AOF
    /// came between the AOF write before it and the reply itself.
    /// </summary>
    private static List<Reply> Replies(string[] lines)
    {
        int? aofFd = null;
        var unsynced = false;
        var replies = new List<Reply>();
        for (var i = 0; i < lines.Length; i++)
        {
            var call = Syscall().Match(lines[i]);
            if (!call.Success)
            {
                continue;
            }

            var (name, fd) = (call.Groups["name"].Value, int.Parse(call.Groups["fd"].Value));
            if (name == "write" && lines[i].Contains("MULTI", StringComparison.Ordinal) && lines[i].Contains("order:", StringComparison.Ordinal))
            {
                aofFd = fd;
                unsynced = true;
            }
            else if (name is "fdatasync" or "fsync" && fd == aofFd)
            {
                unsynced = false;
            }
            else if (name is "write" or "writev" && lines[i].Contains("$8\\r\\naccepted\\r\\n", StringComparison.Ordinal))
            {
                replies.Add(new Reply(i + 1, aofFd is not null && !unsynced));
            }
        }

        return replies;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // "12345 write(8, ..." / "12345 fdatasync(8) = 0"
    [GeneratedRegex(@"^\d+\s+(?<name>write|writev|fdatasync|fsync)\((?<fd>\d+)")]
    private static partial Regex Syscall();
}
