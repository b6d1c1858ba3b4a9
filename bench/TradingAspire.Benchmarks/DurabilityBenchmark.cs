using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Messaging;

namespace TradingAspire.Benchmarks;

/// <summary>
/// What <c>appendfsync always</c> costs the order accept: the gateway's real accept script
/// (<see cref="OrderAcceptance"/>: order hash, Idempotency-Key, <c>orders.new</c> entry) against
/// redis-servers that differ only in their AOF fsync policy, on the same disk, interleaved round by
/// round so that the machine's noise falls on every policy alike. Latency one accept at a time, and
/// throughput with many accepts in flight (as a busy gateway has).
/// </summary>
internal static class DurabilityBenchmark
{
    private sealed record Policy(string Name, string[] Settings, bool ThreeRoundTrips = false)
    {
        public LongHistogram Latency { get; } = new(TimeStamp.Seconds(10), 3);
        public long Accepted { get; set; }
        public TimeSpan Busy { get; set; }
    }

    public static async Task<int> RunAsync(int rounds, int perRound, int concurrency)
    {
        Policy[] policies =
        [
            new("off", ["--appendonly", "no"]),
            new("everysec", ["--appendonly", "yes", "--appendfsync", "everysec"]),
            new("always", ["--appendonly", "yes", "--appendfsync", "always"]),
            new("everysec, 3 round trips", ["--appendonly", "yes", "--appendfsync", "everysec"], ThreeRoundTrips: true),
            new("always, 3 round trips", ["--appendonly", "yes", "--appendfsync", "always"], ThreeRoundTrips: true),
        ];
        var servers = new List<LocalRedis>();
        var hosts = new List<IHost>();
        try
        {
            foreach (var policy in policies)
            {
                var redis = await LocalRedis.StartAsync(policy.Settings);
                servers.Add(redis);
                hosts.Add(await StartHostAsync(redis.ConnectionString));
            }

            // Warm-up (JIT, connections, script cache), not measured.
            for (var h = 0; h < hosts.Count; h++)
            {
                for (var i = 0; i < 500; i++)
                {
                    await AcceptOneAsync(hosts[h].Services, policies[h]);
                }
            }

            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var tasks = policies.Select(p => progress.AddTask(p.Name, maxValue: rounds * perRound * 2)).ToArray();
                for (var round = 0; round < rounds; round++)
                {
                    for (var i = 0; i < policies.Length; i++)
                    {
                        await SequentialAsync(hosts[i].Services, policies[i], perRound, tasks[i]);
                        await ConcurrentAsync(hosts[i].Services, policies[i], perRound, concurrency, tasks[i]);
                    }
                }
            });
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }

            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        Report(policies, concurrency);
        return 0;
    }

    private static async Task<IHost> StartHostAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = connectionString,
            ["Aspire:StackExchange:Redis:DisableTracing"] = "true",
            ["Aspire:StackExchange:Redis:DisableHealthChecks"] = "true",
        });
        builder.AddRedisStreams();
        builder.Services.AddSingleton<OrderAcceptance>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task AcceptOneAsync(IServiceProvider services, Policy policy)
    {
        var order = new NewOrder(Guid.CreateVersion7().ToString("N"), "bench", "BTC-USD", OrderSide.Buy, OrderType.Market, 0.01m, null, DateTimeOffset.UtcNow);
        if (policy.ThreeRoundTrips)
        {
            await AcceptInThreeRoundTripsAsync(services, order);
            return;
        }

        using var entry = services.GetRequiredService<IStreamPublisher>().Prepare(Streams.OrdersNew, order);
        var (outcome, _) = await services.GetRequiredService<OrderAcceptance>()
            .AcceptAsync(order, JsonSerializer.Serialize(order, TradingJson.Options), "", "k-" + order.OrderId, entry);
        if (outcome != AcceptOutcome.Accepted)
        {
            throw new InvalidOperationException($"Unexpected {outcome}.");
        }
    }

    /// <summary>
    /// How the gateway accepted an order before the one script: claim the Idempotency-Key (SET NX GET),
    /// store the order (MULTI HSET EXPIRE EXEC), then XADD — three round trips, each awaited.
    /// </summary>
    private static async Task AcceptInThreeRoundTripsAsync(IServiceProvider services, NewOrder order)
    {
        var db = services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        await db.StringSetAndGetAsync($"idempotency:bench:k-{order.OrderId}", order.OrderId, TimeSpan.FromDays(1), StackExchange.Redis.When.NotExists, StackExchange.Redis.CommandFlags.None);
        var tx = db.CreateTransaction();
        _ = tx.HashSetAsync($"order:{order.OrderId}",
            [new("order", JsonSerializer.Serialize(order, TradingJson.Options)), new("status", "Accepted"), new("traceId", "")]);
        _ = tx.KeyExpireAsync($"order:{order.OrderId}", TimeSpan.FromDays(7));
        await tx.ExecuteAsync();
        await services.GetRequiredService<IStreamPublisher>().PublishAsync(Streams.OrdersNew, order);
    }

    private static async Task SequentialAsync(IServiceProvider services, Policy policy, int count, ProgressTask task)
    {
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await AcceptOneAsync(services, policy);
            policy.Latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));
            task.Increment(1);
        }
    }

    private static async Task ConcurrentAsync(IServiceProvider services, Policy policy, int count, int concurrency, ProgressTask task)
    {
        var next = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await AcceptOneAsync(services, policy);
                task.Increment(1);
            }
        }));
        policy.Busy += Stopwatch.GetElapsedTime(started);
        policy.Accepted += count;
    }

    private static void Report(Policy[] policies, int concurrency)
    {
        double Ms(Policy p, double percentile) => p.Latency.GetValueAtPercentile(percentile) / 1000.0;
        double Rate(Policy p) => p.Accepted / p.Busy.TotalSeconds;
        var baseline = policies[1];
        var table = new Table().Title($"order accept (one Lua script): latency one at a time, accepts/s with {concurrency} in flight")
            .AddColumns("AOF fsync, accept", "p50 ms", "p90 ms", "p99 ms", "accepts/s", "p50 ÷ everysec", "accepts/s ÷ everysec");
        foreach (var p in policies)
        {
            table.AddRow(p.Name, $"{Ms(p, 50):0.000}", $"{Ms(p, 90):0.000}", $"{Ms(p, 99):0.000}", $"{Rate(p):0}",
                $"{Ms(p, 50) / Ms(baseline, 50):0.00}x", $"{Rate(p) / Rate(baseline):0.00}x");
        }

        AnsiConsole.Write(table);
        var chart = new BarChart().Label($"accepts/s with {concurrency} in flight").Width(60);
        foreach (var (p, color) in policies.Zip(new[] { Color.Grey, Color.Yellow, Color.Green, Color.Orange1, Color.Red }))
        {
            chart.AddItem(p.Name, Math.Round(Rate(p)), color);
        }

        AnsiConsole.Write(chart);
    }
}
