using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TradingAspire.Load.Suite;

/// <summary>Where and when the suite ran: the figures only compare within one run on one machine.</summary>
public sealed record MachineInfo(DateTimeOffset StartedAt, string Cpu, int Cores, string Os, string Runtime, string Commit, string LoadBefore, string? LoadAfter)
{
    public static MachineInfo Read(string repository) => new(
        DateTimeOffset.UtcNow,
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        GitCommit(repository),
        LoadAverage(),
        null);

    public string Describe() =>
        $"{StartedAt:yyyy-MM-dd HH:mm} UTC, {Cpu}, {Cores} cores, {Os}, {Runtime}, commit {Commit}, load average {LoadBefore}";

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was with other work.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static string GitCommit(string repository)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository, "describe", "--always", "--dirty"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (git is null)
            {
                return "unknown";
            }

            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return commit.Length > 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
