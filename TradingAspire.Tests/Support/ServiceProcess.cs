using System.Diagnostics;

namespace TradingAspire.Tests.Support;

/// <summary>Finds a service's own process (not the `dotnet run` wrapper Aspire starts it with) and kills it hard.</summary>
public static class ServiceProcess
{
    public static int Find(string project)
    {
        var suffix = $"/bin/Debug/net10.0/TradingAspire.{project}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var argv0 = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0];
                if (argv0.EndsWith(suffix, StringComparison.Ordinal) || argv0.EndsWith(suffix.Replace("Debug", "Release", StringComparison.Ordinal), StringComparison.Ordinal))
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

        throw new InvalidOperationException($"No running process of TradingAspire.{project}.");
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
