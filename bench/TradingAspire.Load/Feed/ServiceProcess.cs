using System.Diagnostics;
using TradingAspire.Load.Suite;

namespace TradingAspire.Load.Feed;

/// <summary>
/// One program started for the benchmark (a service's built dll, or redis-server): its output to a log file, stopped
/// with SIGTERM and, after the timeout, killed. Only the process it started is signalled.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ServiceProcess(Process process, StreamWriter log, string name)
    {
        this.process = process;
        this.log = log;
        Name = name;
    }

    public string Name { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts <c>dotnet &lt;dll&gt;</c> in the dll's directory (its appsettings.json is the content root's).</summary>
    public static ServiceProcess StartDotnet(string name, string dll, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        if (!File.Exists(dll))
        {
            throw new LoadSetupException($"{dll} is missing: build the solution first (dotnet build -c Release, or bench/run-all).");
        }

        var info = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Start(name, info, logPath);
    }

    public static ServiceProcess Start(string name, ProcessStartInfo info, string logPath)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        void Line(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, log, name);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="timeout"/>; answers whether it had to be killed.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return false;
        }

        ProcessTree.Signal(process.Id, ProcessTree.SigTerm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}
