using System.Diagnostics;
using StackExchange.Redis;

namespace TradingAspire.Tests.Support;

/// <summary>
/// Kills a process with SIGKILL at a moment it provably has work in flight: a stream consumer
/// while entries it read are unacknowledged (they are then stranded on its dead consumer name,
/// and the test can follow each one to its reclaim).
/// </summary>
public static class MidFlowKill
{
    /// <summary>The consumer name a service process uses in its group (MessagingOptions' default).</summary>
    public static string ConsumerName(string group, int pid) => $"{group}-{Environment.MachineName}-{pid}";

    /// <summary>
    /// Polls the group's pending entries and kills <paramref name="pid"/> the moment <paramref name="consumer"/>
    /// holds some; returns the ids it held when it died (empty only if no chance came within the timeout).
    /// </summary>
    public static async Task<IReadOnlyList<string>> KillWhileHoldingAsync(
        IDatabase db, int pid, string stream, string group, string consumer, TimeSpan timeout)
    {
        using var process = Process.GetProcessById(pid);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var pending = await db.StreamPendingAsync(stream, group);
            if (pending.Consumers.Any(c => c.Name == consumer && c.PendingMessageCount > 0))
            {
                process.Kill();
                break;
            }
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        var held = await db.StreamPendingMessagesAsync(stream, group, 1000, consumer);
        return held.Select(p => p.MessageId.ToString()).ToList();
    }

    /// <summary>Kills <paramref name="pid"/> as soon as <paramref name="busy"/> holds (or when the timeout passes).</summary>
    public static async Task<bool> KillWhenAsync(int pid, Func<Task<bool>> busy, TimeSpan timeout)
    {
        using var process = Process.GetProcessById(pid);
        var deadline = Stopwatch.StartNew();
        var caught = false;
        while (deadline.Elapsed < timeout && !caught)
        {
            caught = await busy();
        }

        process.Kill();
        await process.WaitForExitAsync();
        return caught;
    }
}
