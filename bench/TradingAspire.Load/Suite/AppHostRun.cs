using System.Diagnostics;
using TradingAspire.Contracts;

namespace TradingAspire.Load.Suite;

/// <summary>
/// One AppHost, started from the built binaries (<c>dotnet run --no-build</c>, so with its launch profile) with the
/// suite's settings, waited for until its endpoints file names it and the gateway and notification answer /health;
/// stopped with SIGTERM to the AppHost process, then waited for until every process it started has exited.
/// Its output goes to a log file.
/// </summary>
public sealed class AppHostRun : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly string endpointsFile;
    private bool stopped;

    private AppHostRun(Process process, StreamWriter log, string endpointsFile, string logPath)
    {
        this.process = process;
        this.log = log;
        this.endpointsFile = endpointsFile;
        LogPath = logPath;
    }

    public LocalEndpoints Endpoints { get; private set; } = null!;
    public string LogPath { get; }
    public TimeSpan StartTime { get; private set; }

    public static async Task<AppHostRun> StartAsync(
        string repository, string configuration, IEnumerable<string> arguments, string endpointsFile, string logPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        File.Delete(endpointsFile);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", "-c", configuration, "--no-build", "--project", "TradingAspire.AppHost", "--",
                     $"--LocalTools:EndpointsFile={endpointsFile}", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        await log.WriteLineAsync($"$ dotnet {string.Join(' ', info.ArgumentList)}");
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var run = new AppHostRun(process, log, endpointsFile, logPath);
        try
        {
            await run.WaitUntilReadyAsync(timeout, cancellationToken);
            run.StartTime = Stopwatch.GetElapsedTime(started);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = LoadHttp.Client(TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        string waitingFor = "the endpoints file";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new LoadSetupException($"The AppHost exited with code {process.ExitCode} before it was ready; see {LogPath}.");
            }

            if (Endpoints is null && TryReadEndpoints() is { } endpoints)
            {
                Endpoints = endpoints;
            }

            if (Endpoints is not null)
            {
                waitingFor = "the gateway's and notification's /health";
                if (await HealthyAsync(http, Endpoints.Gateway, cancellationToken) && await HealthyAsync(http, Endpoints.Notification, cancellationToken))
                {
                    return;
                }
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new LoadSetupException($"The AppHost was not ready after {timeout.TotalSeconds:0} s (waiting for {waitingFor}); see {LogPath}.");
    }

    private LocalEndpoints? TryReadEndpoints()
    {
        try
        {
            var endpoints = File.Exists(endpointsFile) ? LocalEndpoints.FromJson(File.ReadAllText(endpointsFile)) : null;
            return endpoints is not null && ProcessTree.IsAlive(endpoints.AppHostProcessId) ? endpoints : null;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return null; // being written
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http, string service, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(service), "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Every process this run started: <c>dotnet run</c> and its descendants (the AppHost), and Aspire's orchestrator,
    /// which detaches from the AppHost (<c>dcp start-apiserver --monitor &lt;AppHost pid&gt;</c>), with everything it runs:
    /// redis-server, the services.
    /// </summary>
    public IReadOnlySet<int> Processes()
    {
        var tree = ProcessTree.Descendants(process.Id).Append(process.Id).ToHashSet();
        if (Endpoints?.AppHostProcessId is { } appHost)
        {
            foreach (var orchestrator in ProcessTree.Matching(c => $" {c} ".Contains($" --monitor {appHost} ", StringComparison.Ordinal)).ToArray())
            {
                tree.Add(orchestrator);
                tree.UnionWith(ProcessTree.Descendants(orchestrator));
            }
        }

        return tree;
    }

    /// <summary>The port redis-server itself listens on (its process title is <c>redis-server 127.0.0.1:port</c>); clients go through Aspire's proxy.</summary>
    public int? RedisServerPort()
    {
        foreach (var pid in Processes().Where(p => ProcessTree.Name(p) == "redis-server"))
        {
            foreach (var token in ProcessTree.CommandLine(pid).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = token.LastIndexOf(':');
                if (colon > 0 && int.TryParse(token[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
                {
                    return port;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// SIGTERM to the AppHost (it stops every resource), then waits until every process of this run (<see cref="Processes"/>)
    /// is gone. Whatever is still alive after <paramref name="timeout"/> is killed; returns how many were.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (stopped)
        {
            return 0;
        }

        stopped = true;
        var tree = Processes();
        var appHost = Endpoints?.AppHostProcessId;
        // Without an endpoints file the AppHost is dotnet run's child: signal every child of dotnet run.
        foreach (var pid in appHost is { } id ? [id] : tree.Where(p => p != process.Id))
        {
            ProcessTree.Signal(pid, ProcessTree.SigTerm);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (tree.Any(ProcessTree.IsAlive) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(200);
        }

        var killed = 0;
        foreach (var pid in tree.Where(ProcessTree.IsAlive))
        {
            killed += ProcessTree.Signal(pid, ProcessTree.SigKill) ? 1 : 0;
        }

        await process.WaitForExitAsync();
        return killed;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(60));
        process.Dispose();
        await log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
