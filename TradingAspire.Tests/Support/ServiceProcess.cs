using System.Diagnostics;

namespace TradingAspire.Tests.Support;

/// <summary>Finds a service's own process (not the `dotnet run` wrapper Aspire starts it with) and kills it hard.</summary>
public static class ServiceProcess
{
    /// <summary>
    /// The process of <c>TradingAspire.&lt;project&gt;</c> built in this repository (the one the tests run from).
    /// Matched by full path: on a shared machine other checkouts run the same services, and a suffix match
    /// found (and killed) theirs.
    /// </summary>
    public static int Find(string project) =>
        FindAll(project).FirstOrDefault() is var (pid, _) && pid != 0
            ? pid
            : throw new InvalidOperationException($"No running process of TradingAspire.{project} under {RepositoryRoot()}.");

    /// <summary>Every running process of <c>TradingAspire.&lt;project&gt;</c> of this repository with its replica index (null when it has none).</summary>
    public static IReadOnlyList<(int Pid, int? Replica)> FindAll(string project)
    {
        var root = RepositoryRoot();
        var executables = new[] { "Debug", "Release" }
            .Select(configuration => Path.Combine(root, "Services", project, "bin", configuration, "net10.0", $"TradingAspire.{project}"))
            .ToArray();
        var found = new List<(int, int?)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var argv0 = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0];
                if (executables.Contains(argv0, StringComparer.Ordinal))
                {
                    found.Add((pid, int.TryParse(Environment(pid, "TRADING_REPLICA_INDEX"), out var replica) ? replica : null));
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>A variable of a process's environment (null when it has none).</summary>
    public static string? Environment(int pid, string variable) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith(variable + "=", StringComparison.Ordinal))?[(variable.Length + 1)..];

    /// <summary>The folder holding <c>TradingAspire.sln</c>, found from the test's bin folder.</summary>
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TradingAspire.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No TradingAspire.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The redis-server the AppHost started with its data dir under <paramref name="dataRoot"/>.</summary>
    public static int FindRedis(string dataRoot)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // redis-server rewrites its command line; its working directory is its data dir.
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName ?? "";
                if (name.StartsWith("redis-server", StringComparison.Ordinal) && cwd.StartsWith(dataRoot, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException($"No redis-server with its data under {dataRoot}.");
    }

    public static void Kill9(int pid)
    {
        using var kill = Process.Start("kill", ["-9", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
