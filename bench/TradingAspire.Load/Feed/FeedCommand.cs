using System.Diagnostics;
using HdrHistogram;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TradingAspire.Load.Suite;

namespace TradingAspire.Load.Feed;

/// <summary>
/// Issue 10's feed benchmark in one run, on loopback with real processes (no AppHost): a private redis-server, the
/// exchanges service and one marketdata instance following one venue, started from the built dlls.
/// (a) Saturation: the venue offers up to <c>--saturation-rate</c> with backpressure, marketdata takes what it can;
/// monitoring on, off, on, off, ... each run a fresh marketdata. (b) Latency: monitoring on, fixed offered rates, feed
/// latency p50/p99 from marketdata's histogram. Prints a table and writes feed.md.
/// </summary>
public sealed class FeedCommand : AsyncCommand<FeedSettings>
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public override async Task<int> ExecuteAsync(CommandContext context, FeedSettings settings, CancellationToken cancellationToken)
    {
        var repository = FindRepository();
        var output = Path.GetFullPath(settings.Output ?? Path.Combine(repository, "load-results",
            "feed-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(output);
        var machine = MachineInfo.Read(repository);
        var started = Stopwatch.GetTimestamp();
        AnsiConsole.Write(new Rule("[bold]TradingAspire feed benchmark[/]").LeftJustified());
        AnsiConsole.MarkupLine(Markup.Escape($"{machine.Describe()}; results in {output}"));

        var saturation = new List<SaturationRun>();
        var latency = new List<LatencyRun>();
        try
        {
            Step($"starting redis-server, the OTLP sink and exchanges ({settings.Configuration}, Exchanges:Feed:Backpressure=true, TickMs={settings.TickMs})");
            await using var services = await FeedServices.StartAsync(repository, settings.Configuration, output, settings.Venue, settings.TickMs, cancellationToken);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var probe = new FeedProbe(http, settings.Venue);

            if (settings.Rounds > 0)
            {
                AnsiConsole.Write(new Rule($"[bold](a) saturation: {settings.SaturationRate:N0} msg/s offered, monitoring on/off alternating[/]").LeftJustified());
                await probe.SetRateAsync(services.ExchangesUrl, settings.SaturationRate, cancellationToken);
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var monitoring in new[] { true, false })
                {
                    var label = $"round {round}, monitoring {(monitoring ? "on" : "off")}";
                    var window = await WithMarketDataAsync(services, probe, monitoring, settings, (url, pid) =>
                        MeasureAsync(probe, url, pid, services.Exchanges.Pid, label, settings.WarmupSeconds, settings.Seconds, settings.Plain, cancellationToken), cancellationToken);
                    saturation.Add(new SaturationRun(round, monitoring, settings.SaturationRate, window));
                    Step($"  {label}: {window.MessagesPerSecond:N0} msg/s taken, marketdata {window.MarketDataCores:0.00} cores " +
                         $"({window.MarketDataMicrosPerMessage:0.00} µs CPU/msg), exchanges {window.ExchangesCores:0.00} cores, {window.Disconnects} disconnects");
                }
            }

            AnsiConsole.Write(new Rule("[bold](b) latency at fixed rates, monitoring on[/]").LeftJustified());
            await WithMarketDataAsync(services, probe, true, settings, async (url, pid) =>
            {
                foreach (var rate in settings.Rates())
                {
                    await probe.SetRateAsync(services.ExchangesUrl, rate, cancellationToken);
                    var label = $"{rate:N0} msg/s offered";
                    var before = default(LongHistogram);
                    var window = await MeasureAsync(probe, url, pid, services.Exchanges.Pid, label, settings.WarmupSeconds, settings.LatencySeconds, settings.Plain,
                        cancellationToken, async () => before = await probe.LatencyAsync(url, cancellationToken));
                    var interval = FeedProbe.Difference(await probe.LatencyAsync(url, cancellationToken), before!);
                    var run = interval.TotalCount == 0
                        ? new LatencyRun(rate, window, 0, double.NaN, double.NaN, double.NaN, double.NaN)
                        : new LatencyRun(rate, window, interval.TotalCount, interval.GetValueAtPercentile(50) / 1000.0, interval.GetValueAtPercentile(99) / 1000.0,
                            interval.GetValueAtPercentile(99.9) / 1000.0, interval.GetMaxValue() / 1000.0);
                    latency.Add(run);
                    Step($"  {label}: {window.MessagesPerSecond:N0} msg/s achieved, latency p50 {run.P50Ms:0.###} ms, p99 {run.P99Ms:0.###} ms, " +
                         $"max {run.MaxMs:0.###} ms ({run.Count:N0} messages)");
                }

                return 0;
            }, cancellationToken);
            Step($"OTLP sink received {services.Sink.Requests:N0} exports ({services.Sink.Bytes / 1e6:0.0} MB) from both services");
            Step("stopping exchanges and redis-server");
        }
        catch (LoadSetupException ex)
        {
            AnsiConsole.MarkupLine($"[red]Cannot run:[/] {Markup.Escape(ex.Message)}");
            return 2;
        }

        var report = new FeedReport(machine with { LoadAfter = MachineInfo.LoadAverage() }, settings, saturation, latency, Stopwatch.GetElapsedTime(started));
        AnsiConsole.Write(new Rule("[bold]results[/]").LeftJustified());
        AnsiConsole.Write(new Markup(Markup.Escape(report.Tables())));
        AnsiConsole.WriteLine();
        var markdown = Path.Combine(output, "feed.md");
        await File.WriteAllTextAsync(markdown, report.Markdown(), cancellationToken);
        AnsiConsole.MarkupLine($"Report: [link]{Markup.Escape(markdown)}[/]");
        return 0;
    }

    /// <summary>Starts a fresh marketdata instance, waits for messages, runs <paramref name="measure"/>, stops it (SIGTERM).</summary>
    private static async Task<T> WithMarketDataAsync<T>(FeedServices services, FeedProbe probe, bool monitoring, FeedSettings settings,
        Func<Uri, int, Task<T>> measure, CancellationToken cancellationToken)
    {
        Step($"starting marketdata (MarketData:Monitoring:Enabled={monitoring.ToString().ToLowerInvariant()}, MarketData:Venues={settings.Venue})");
        var (process, url) = await services.StartMarketDataAsync(monitoring, cancellationToken);
        await using (process)
        {
            await probe.WaitFlowingAsync(url, process.Pid, services.Exchanges.Pid, StartTimeout, cancellationToken);
            var result = await measure(url, process.Pid);
            if (await process.StopAsync(TimeSpan.FromSeconds(15)))
            {
                Step("  [red]marketdata did not stop within 15 s of SIGTERM and was killed[/]");
            }

            return result;
        }
    }

    /// <summary>Warm-up, then the measured window (counters and CPU at both ends), showing progress throughout.</summary>
    private static async Task<FeedWindow> MeasureAsync(FeedProbe probe, Uri url, int pid, int exchangesPid, string label, int warmup, int seconds, bool plain,
        CancellationToken cancellationToken, Func<Task>? atStart = null)
    {
        Task<FeedSample> Sample() => probe.SampleAsync(url, pid, exchangesPid, cancellationToken);
        if (warmup > 0)
        {
            await WindowProgress.RunAsync($"{label}, warm-up", warmup, Sample, plain, cancellationToken);
        }

        if (atStart is not null)
        {
            await atStart();
        }

        var first = await Sample();
        await WindowProgress.RunAsync($"{label}, measuring", seconds, Sample, plain, cancellationToken);
        return new FeedWindow(first, await Sample());
    }

    private static void Step(string text) =>
        AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {(text.Contains("[red]", StringComparison.Ordinal) ? text : Markup.Escape(text))}");

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TradingAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new LoadSetupException("Run the feed benchmark from the repository (TradingAspire.sln not found here or in a parent directory).");
    }
}
