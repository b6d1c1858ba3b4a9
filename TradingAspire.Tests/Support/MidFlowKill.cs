using System.Diagnostics;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace TradingAspire.Tests.Support;

/// <summary>
/// Kills a process with SIGKILL at a moment it provably has work in flight: a stream consumer
/// while entries it read are unacknowledged (they are then stranded on its dead consumer name,
/// and the test can follow each one to its reclaim).
/// </summary>
public static class MidFlowKill
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>The consumer name a service process uses in its group (the default, from the replica index in its environment).</summary>
    public static string ConsumerName(string group, int pid) =>
        TradingAspire.Messaging.ConsumerNames.Default(group, ServiceProcess.Environment(pid, TradingAspire.Messaging.ConsumerNames.ReplicaIndexVariable), Environment.MachineName, pid);

    /// <summary>
    /// Waits until <paramref name="consumer"/> holds pending entries, freezes the process (SIGSTOP) so
    /// it cannot acknowledge them, checks that it still holds them once any ack already on its way has
    /// landed, and then kills it (SIGKILL); if the ack won the race it lets the process go on
    /// (SIGCONT) and tries again. Returns the ids it held when it died (empty only on timeout).
    /// </summary>
    public static async Task<IReadOnlyList<string>> KillWhileHoldingAsync(
        IDatabase db, int pid, string stream, string group, string consumer, TimeSpan timeout)
    {
        using var process = Process.GetProcessById(pid);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var pending = await db.StreamPendingAsync(stream, group);
            if (!pending.Consumers.Any(c => c.Name == consumer && c.PendingMessageCount > 0))
            {
                continue;
            }

            Send(pid, SigStop);
            await Task.Delay(50); // let an XACK already written to the socket reach Redis
            var held = await db.StreamPendingMessagesAsync(stream, group, 1000, consumer);
            if (held.Length > 0)
            {
                Send(pid, SigKill);
                await process.WaitForExitAsync();
                return held.Select(p => p.MessageId.ToString()).ToList();
            }

            Send(pid, SigCont);
        }

        Send(pid, SigKill);
        await process.WaitForExitAsync();
        return [];
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

        Send(pid, SigKill);
        await process.WaitForExitAsync();
        return caught;
    }

    private static void Send(int pid, int signal)
    {
        if (Signal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
