using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using StackExchange.Redis;
using TradingAspire.Messaging;

namespace TradingAspire.Benchmarks;

public sealed record Tick(long SentTimestamp);

/// <summary>Records publish→handler latency of the real consumer.</summary>
public sealed class TickHandler(LatencyRecorder recorder) : IStreamHandler<Tick>
{
    public Task HandleAsync(StreamMessage<Tick> message, CancellationToken cancellationToken)
    {
        recorder.Record(message.Body.SentTimestamp);
        return Task.CompletedTask;
    }
}

public sealed class LatencyRecorder
{
    private readonly object gate = new();
    public LongHistogram Histogram { get; } = new(TimeStamp.Seconds(10), 3);
    public int Count { get; private set; }

    public void Record(long sentTimestamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(sentTimestamp).TotalMicroseconds;
        lock (gate)
        {
            Histogram.RecordValue(Math.Max(1, micros));
            Count++;
        }
    }
}

/// <summary>
/// Publishes entries at a steady rate to two streams at once, one consumed by the messaging
/// library's blocking consumer, one by a 100 ms polling consumer, and compares publish→handler
/// latency side by side in the same run (same machine, same noise).
/// </summary>
internal static class PickupLatencyBenchmark
{
    public static async Task<int> RunAsync(int messages, double perSecond)
    {
        await using var redis = await LocalRedis.StartAsync();
        var blockingRecorder = new LatencyRecorder();
        var pollingRecorder = new LatencyRecorder();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Aspire:StackExchange:Redis:DisableTracing"] = "true",
            ["Aspire:StackExchange:Redis:DisableHealthChecks"] = "true",
        });
        builder.Services.AddSingleton(blockingRecorder);
        builder.AddStreamConsumer<Tick, TickHandler>("bench.blocking", "g");
        using var host = builder.Build();
        await host.StartAsync();

        var shared = host.Services.GetRequiredService<IConnectionMultiplexer>();
        var publisher = host.Services.GetRequiredService<IStreamPublisher>();
        using var stop = new CancellationTokenSource();
        var poller = new PollingConsumer(shared, "bench.polling", TimeSpan.FromMilliseconds(100),
            entry => pollingRecorder.Record(System.Text.Json.JsonSerializer.Deserialize<Tick>(entry["payload"].ToString(),
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!.SentTimestamp));
        var polling = poller.RunAsync(stop.Token);

        var gap = TimeSpan.FromSeconds(1 / perSecond);
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"Publishing {messages} entries to both streams at {perSecond}/s", maxValue: messages);
            for (var i = 0; i < messages; i++)
            {
                var tick = new Tick(Stopwatch.GetTimestamp());
                await publisher.PublishAsync("bench.blocking", tick);
                await publisher.PublishAsync("bench.polling", tick with { SentTimestamp = Stopwatch.GetTimestamp() });
                task.Increment(1);
                await Task.Delay(gap);
            }

            var drain = progress.AddTask("Waiting for both consumers", maxValue: messages * 2);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((blockingRecorder.Count < messages || pollingRecorder.Count < messages) && DateTime.UtcNow < deadline)
            {
                drain.Value = blockingRecorder.Count + pollingRecorder.Count;
                await Task.Delay(50);
            }

            drain.Value = drain.MaxValue;
        });

        await stop.CancelAsync();
        await polling;
        await host.StopAsync();

        Report(blockingRecorder, pollingRecorder, poller.Polls);
        return blockingRecorder.Count == messages && pollingRecorder.Count == messages ? 0 : 1;
    }

    private static void Report(LatencyRecorder blocking, LatencyRecorder polling, long polls)
    {
        double Ms(LatencyRecorder r, double p) => r.Histogram.GetValueAtPercentile(p) / 1000.0;
        var table = new Table().Title("publish → handler latency (ms), same run").AddColumns("design", "n", "p50", "p90", "p99", "max");
        foreach (var (name, r) in new[] { ("blocking XREADGROUP (ours)", blocking), ("poll every 100 ms", polling) })
        {
            table.AddRow(name, r.Count.ToString(), $"{Ms(r, 50):0.00}", $"{Ms(r, 90):0.00}", $"{Ms(r, 99):0.00}", $"{r.Histogram.GetMaxValue() / 1000.0:0.00}");
        }

        AnsiConsole.Write(table);
        AnsiConsole.Write(new BarChart().Label("p50 latency (ms)").Width(60)
            .AddItem("blocking", Math.Round(Ms(blocking, 50), 2), Color.Green)
            .AddItem("polling", Math.Round(Ms(polling, 50), 2), Color.Red));
        AnsiConsole.MarkupLine($"p50 ratio polling/blocking: [bold]{Ms(polling, 50) / Math.Max(0.001, Ms(blocking, 50)):0.0}x[/], " +
                               $"p99 ratio: [bold]{Ms(polling, 99) / Math.Max(0.001, Ms(blocking, 99)):0.0}x[/]; " +
                               $"the poller issued {polls} XREADGROUPs (each one a root trace when instrumented); the blocking reader's idle reads are untraced.");
    }
}
