using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TradingAspire.Load.Suite;

/// <summary>
/// Every benchmark in one run, side by side: for each tracing setting an AppHost (Release, generator off, client rate
/// limits lifted, venues at ~0 ms with no outliers, rejects or partial fills) on a fresh Redis, redis-benchmark XADD on
/// that Redis, an open-loop run above capacity (with Redis's command counts), a run at a fixed rate, and the AppHost
/// stopped; then the BenchmarkDotNet micro-benchmarks and the trace store's ingest. Prints one table and writes it
/// with the details to suite.md. Exit code 0, 3 when a load run lost an order, 2 when something could not run.
/// </summary>
public sealed class SuiteCommand : AsyncCommand<SuiteSettings>
{
    private static readonly string[] Venues = ["binance", "kraken", "coinbase"];

    public override async Task<int> ExecuteAsync(CommandContext context, SuiteSettings settings, CancellationToken cancellationToken)
    {
        var repository = FindRepository();
        var output = Path.GetFullPath(settings.Output ?? Path.Combine(repository, "load-results",
            "suite-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        var scratch = Path.Combine(Path.GetTempPath(), "tradingaspire-suite-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(output);
        var machine = MachineInfo.Read(repository);
        var started = Stopwatch.GetTimestamp();
        AnsiConsole.Write(new Rule("[bold]TradingAspire benchmark suite[/]").LeftJustified());
        AnsiConsole.MarkupLine(Markup.Escape($"{machine.Describe()}; results in {output}"));

        var results = new List<SettingResult>();
        MicroBenchmarkOutcome micro = new([], null, null);
        TraceStoreIngestResult? traceStore = null;
        string? traceStoreError = null;
        try
        {
            var tracing = settings.TracingSettings();
            for (var i = 0; i < tracing.Count; i++)
            {
                AnsiConsole.Write(new Rule($"[bold][[{i + 1}/{tracing.Count}]] {Markup.Escape(tracing[i].Label)}[/]").LeftJustified());
                results.Add(await RunSettingAsync(repository, output, scratch, tracing[i], settings, cancellationToken));
            }

            if (!settings.SkipMicro)
            {
                AnsiConsole.Write(new Rule("[bold]micro-benchmarks (BenchmarkDotNet, short in-process job)[/]").LeftJustified());
                micro = await RunMicroAsync(repository, settings.Configuration, Path.Combine(output, "micro"), cancellationToken);
            }

            if (settings.TraceStoreSpans > 0)
            {
                AnsiConsole.Write(new Rule($"[bold]trace store ingest, {settings.TraceStoreSpans:N0} spans, one thread[/]").LeftJustified());
                try
                {
                    traceStore = await TraceStoreIngestRun.RunAsync(repository, settings.Configuration, settings.TraceStoreSpans, Path.Combine(output, "tracestore"), cancellationToken);
                }
                catch (InvalidOperationException ex)
                {
                    traceStoreError = ex.Message;
                    AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
                }
            }
        }
        catch (LoadSetupException ex)
        {
            AnsiConsole.MarkupLine($"[red]Cannot run:[/] {Markup.Escape(ex.Message)}");
            return 2;
        }
        finally
        {
            TryDelete(scratch);
        }

        var report = new SuiteReport(machine with { LoadAfter = MachineInfo.LoadAverage() }, settings, results, micro, traceStore, traceStoreError,
            Stopwatch.GetElapsedTime(started));
        AnsiConsole.Write(new Rule("[bold]results[/]").LeftJustified());
        AnsiConsole.Write(report.ConsoleTable());
        var markdown = Path.Combine(output, "suite.md");
        await File.WriteAllTextAsync(markdown, report.Markdown(), cancellationToken);
        AnsiConsole.MarkupLine($"Report: [link]{Markup.Escape(markdown)}[/]");
        return results.Any(r => r.Saturation.Lost > 0 || r.Latency.Lost > 0) ? 3 : 0;
    }

    private static async Task<SettingResult> RunSettingAsync(
        string repository, string output, string scratch, TracingSetting setting, SuiteSettings settings, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(output, setting.Slug);
        var data = Path.Combine(scratch, setting.Slug);
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(data);
        var endpointsFile = Path.Combine(data, "endpoints.json");
        var timeout = TimeSpan.FromSeconds(settings.AppHostTimeoutSeconds);

        Step($"starting the AppHost ({settings.Configuration}; {string.Join(' ', setting.AppHostArguments())})");
        var appHost = await AppHostRun.StartAsync(repository, settings.Configuration, AppHostArguments(setting, data, settings), endpointsFile,
            Path.Combine(directory, "apphost.log"), timeout, cancellationToken);
        try
        {
            Step($"ready in {appHost.StartTime.TotalSeconds:0.0} s (AppHost pid {appHost.Endpoints.AppHostProcessId})");
            var connection = appHost.Endpoints.Redis
                ?? throw new LoadSetupException("The AppHost's endpoints file names no Redis: is the AppHost older than the suite? Rebuild it.");
            var redis = RedisTools.FromConnectionString(connection);
            var nodes = RedisTools.AllFromConnectionString(connection);
            RedisBenchmarkResult? direct = null;
            if (!settings.Cluster && appHost.RedisServerPort() is { } serverPort)
            {
                Step($"redis-benchmark XADD -c {settings.XaddClients} -n {settings.XaddRequests:N0} on redis-server's port {serverPort}");
                direct = await RedisTools.FromConnectionString(connection, serverPort)
                    .XaddAsync("bench", settings.XaddClients, settings.XaddRequests, cancellationToken);
                Step($"  {direct.OpsPerSecond:N0} ops/s (p50 {direct.P50Ms} ms, p99 {direct.P99Ms} ms)");
            }

            Step(settings.Cluster
                ? $"redis-benchmark XADD on one master (port {redis.Port}) of the cluster, to a key it serves"
                : $"redis-benchmark XADD through Aspire's proxy (port {redis.Port}, as the services connect)");
            var proxied = await redis.XaddAsync(await redis.KeyServedHereAsync("bench", cancellationToken), settings.XaddClients, settings.XaddRequests, cancellationToken);
            Step($"  {proxied.OpsPerSecond:N0} ops/s (p50 {proxied.P50Ms} ms, p99 {proxied.P99Ms} ms)");

            if (settings.PrewarmSeconds > 0)
            {
                Step($"pre-warm: 100 orders/s for {settings.PrewarmSeconds} s (JIT, connections; not reported)");
                await LoadAsync(settings, endpointsFile, 100, 0, settings.PrewarmSeconds, Path.Combine(directory, "prewarm"), cancellationToken);
            }

            foreach (var node in nodes)
            {
                await node.ResetStatsAsync(cancellationToken);
            }

            Step($"saturation: {settings.SaturationRate:N0} orders/s offered open loop, {settings.WarmupSeconds} s warm-up + {settings.SaturationSeconds} s");
            var saturation = await LoadAsync(settings, endpointsFile, settings.SaturationRate, settings.WarmupSeconds, settings.SaturationSeconds, Path.Combine(directory, "saturation"), cancellationToken);
            var commands = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                foreach (var (command, calls) in await node.CommandCallsAsync(cancellationToken))
                {
                    commands[command] = commands.GetValueOrDefault(command) + calls;
                }
            }

            Step($"  {saturation.CompletedPerSecond:N0} orders/s completed; Redis ran {commands.Values.Sum():N0} commands for {saturation.CompletedAll:N0} final orders");

            Step($"latency: {settings.LatencyRate:N0} orders/s, {settings.WarmupSeconds} s warm-up + {settings.LatencySeconds} s");
            var latency = await LoadAsync(settings, endpointsFile, settings.LatencyRate, settings.WarmupSeconds, settings.LatencySeconds, Path.Combine(directory, "latency"), cancellationToken);

            Step("stopping the AppHost (SIGTERM) and waiting for every process it started");
            var stopWatch = Stopwatch.StartNew();
            var killed = await appHost.StopAsync(timeout);
            Step(killed == 0 ? $"  stopped in {stopWatch.Elapsed.TotalSeconds:0.0} s" : $"  [red]{killed} processes were still running after {timeout.TotalSeconds:0} s and were killed[/]");
            return new SettingResult(setting, direct, proxied, saturation, commands, latency, appHost.StartTime, killed);
        }
        finally
        {
            await appHost.DisposeAsync();
        }
    }

    private static async Task<LoadSummary> LoadAsync(
        SuiteSettings settings, string endpointsFile, int rate, int warmup, int seconds, string output, CancellationToken cancellationToken)
    {
        var (_, summary) = await LoadCommand.RunAsync(new LoadSettings
        {
            Rate = rate,
            DurationSeconds = seconds,
            WarmupSeconds = warmup,
            Clients = settings.Clients,
            DrainSeconds = settings.DrainSeconds,
            EndpointsFile = endpointsFile,
            Output = output,
            Plain = settings.Plain,
        }, cancellationToken);
        return summary;
    }

    private static async Task<MicroBenchmarkOutcome> RunMicroAsync(string repository, string configuration, string directory, CancellationToken cancellationToken)
    {
        try
        {
            var results = await MicroBenchmarkRun.RunAsync(repository, configuration, directory, cancellationToken);
            return new MicroBenchmarkOutcome(results, MicroBenchmarkRun.MarkdownReport(directory), null);
        }
        catch (InvalidOperationException ex)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return new MicroBenchmarkOutcome([], null, ex.Message);
        }
    }

    /// <summary>The settings of every earlier end-to-end figure (bench/README.md), on a fresh Redis and trace store.</summary>
    private static IEnumerable<string> AppHostArguments(TracingSetting setting, string data, SuiteSettings settings)
    {
        yield return $"--Replicas:risk={settings.Replicas}";
        yield return $"--Replicas:execution={settings.Replicas}";
        yield return $"--Messaging:Partitions={settings.Partitions}";
        if (settings.Cluster)
        {
            yield return "--Redis:Mode=cluster";
        }

        yield return "--OrderFlow:Enabled=false";
        yield return "--Strategy:Enabled=false";
        yield return "--Gateway:RateLimit:PermitsPerSecond=100000";
        yield return "--Gateway:RateLimit:Burst=100000";
        foreach (var venue in Venues)
        {
            yield return $"--Exchanges:Venues:{venue}:LatencyMedianMs=0.01";
            yield return $"--Exchanges:Venues:{venue}:LatencySigma=0";
            yield return $"--Exchanges:Venues:{venue}:OutlierProbability=0";
            yield return $"--Exchanges:Venues:{venue}:RejectProbability=0";
            yield return $"--Exchanges:Venues:{venue}:PartialFillProbability=0";
        }

        yield return $"--Redis:DataDir={Path.Combine(data, "redis")}";
        yield return $"--TraceAnalytics:Store:DataDir={Path.Combine(data, "traces")}";
        foreach (var argument in setting.AppHostArguments())
        {
            yield return argument;
        }
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

        throw new LoadSetupException("Run the suite from the repository (TradingAspire.sln not found here or in a parent directory).");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A process may still hold a file; it lives in the temp directory.
        }
    }
}

/// <summary>The micro-benchmarks' results, BenchmarkDotNet's own markdown table, or why they are missing.</summary>
public sealed record MicroBenchmarkOutcome(IReadOnlyList<MicroResult> Results, string? Markdown, string? Error);
