using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace TradingAspire.Load;

/// <summary>
/// Closes a second of the timeline every second while the run goes on, and shows it: a live table in a
/// terminal, a line every 5 s otherwise (CI logs, pipes).
/// </summary>
public sealed class LiveProgress(LoadMetrics metrics, Func<long> inFlight, Func<string> phase, int targetRate, bool plain)
{
    private readonly long start = Stopwatch.GetTimestamp();

    public async Task RunAsync(Task work)
    {
        if (plain || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lines = 0;
            await TickUntilAsync(work, point =>
            {
                if (++lines % 5 == 0)
                {
                    AnsiConsole.MarkupLine(Line(point));
                }
            });
            return;
        }

        await AnsiConsole.Live(Render(null)).AutoClear(false).StartAsync(async context =>
            await TickUntilAsync(work, point =>
            {
                context.UpdateTarget(Render(point));
                context.Refresh();
            }));
    }

    private async Task TickUntilAsync(Task work, Action<TimelinePoint> show)
    {
        var second = 1;
        while (!work.IsCompleted)
        {
            var due = start + second * Stopwatch.Frequency;
            var wait = TimeSpan.FromSeconds((double)(due - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(work, Task.Delay(wait));
            }

            if (Stopwatch.GetTimestamp() >= due)
            {
                show(metrics.Tick(second, inFlight()));
                second++;
            }
        }

        await work;
    }

    private string Line(TimelinePoint p) => string.Create(CultureInfo.InvariantCulture,
        $"[grey]{p.Second,5:0}s[/] {Markup.Escape(phase()),-10} sent {metrics.Sent,8} · accepted {p.Accepted,6}/s · completed {p.Completed,6}/s · " +
        $"in flight {p.InFlight,6} · accept p99 {Ms(p.AcceptP99Ms)} · final p99 {Ms(p.FinalP99Ms)} · errors {metrics.Errors}");

    private IRenderable Render(TimelinePoint? p)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]tradingaspire-load[/] · {Markup.Escape(phase())} · target {targetRate}/s");
        table.AddColumn("");
        table.AddColumn(new TableColumn("last second").RightAligned());
        table.AddColumn(new TableColumn("run so far").RightAligned());
        if (p is null)
        {
            table.AddRow("starting", "", "");
            return table;
        }

        table.AddRow("elapsed", $"{p.Second:0} s", "");
        table.AddRow("sent", $"{p.Sent}/s", $"{metrics.Sent}");
        table.AddRow("accepted (202)", $"{p.Accepted}/s", $"{metrics.AcceptedCount}");
        table.AddRow("completed (final outcome)", $"{p.Completed}/s", $"{metrics.Completed}");
        table.AddRow("in flight", $"{p.InFlight}", "");
        table.AddRow("POST → 202  p50 / p99", $"{Ms(p.AcceptP50Ms)} / {Ms(p.AcceptP99Ms)}",
            $"{Ms(LoadMetrics.Percentile(metrics.Accept, 50))} / {Ms(LoadMetrics.Percentile(metrics.Accept, 99))}");
        table.AddRow("send → final  p50 / p99", $"{Ms(p.FinalP50Ms)} / {Ms(p.FinalP99Ms)}",
            $"{Ms(LoadMetrics.Percentile(metrics.Final, 50))} / {Ms(LoadMetrics.Percentile(metrics.Final, 99))}");
        table.AddRow(metrics.Errors == 0 ? "errors" : "[red]errors[/]", $"{p.Errors}/s", $"{metrics.Errors}");
        foreach (var (kind, count) in metrics.ErrorsByKind.OrderByDescending(e => e.Value).Take(4))
        {
            table.AddRow($"  [grey]{Markup.Escape(kind)}[/]", "", $"{count}");
        }

        return table;
    }

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms >= 100 ? $"{ms:0} ms" : ms >= 10 ? $"{ms:0.0} ms" : $"{ms:0.00} ms";
}
