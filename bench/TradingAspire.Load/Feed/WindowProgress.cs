using System.Diagnostics;
using Spectre.Console;

namespace TradingAspire.Load.Feed;

/// <summary>
/// Shows a timed phase while it runs: a progress bar with the last second's messages/s in a terminal, a line every
/// 5 s otherwise (CI logs, pipes). The caller's <c>sample</c> is read once a second.
/// </summary>
public static class WindowProgress
{
    public static async Task RunAsync(string label, int seconds, Func<Task<FeedSample>> sample, bool plain, CancellationToken cancellationToken)
    {
        if (plain || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await TickAsync(seconds, sample, (elapsed, rate) =>
            {
                if (elapsed % 5 == 0 || elapsed == seconds)
                {
                    AnsiConsole.MarkupLine(Markup.Escape($"    {label}: {elapsed}/{seconds} s, {rate:N0} msg/s"));
                }
            }, cancellationToken);
            return;
        }

        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: seconds);
                await TickAsync(seconds, sample, (elapsed, rate) =>
                {
                    task.Value = elapsed;
                    task.Description = Markup.Escape($"{label}: {rate:N0} msg/s");
                }, cancellationToken);
            });
    }

    private static async Task TickAsync(int seconds, Func<Task<FeedSample>> sample, Action<int, double> show, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var previous = await sample();
        for (var second = 1; second <= seconds; second++)
        {
            var wait = TimeSpan.FromSeconds(second) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var current = await sample();
            show(second, (current.Messages - previous.Messages) / Math.Max(1e-3, current.SecondsSince(previous)));
            previous = current;
        }
    }
}
