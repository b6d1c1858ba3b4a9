using Spectre.Console;

namespace TradingAspire.Load;

/// <summary>Prints a run's summary and writes it as <c>summary.json</c> and <c>chart.html</c>.</summary>
public static class LoadReport
{
    public static void Print(LoadSummary s)
    {
        var counts = new Table().Border(TableBorder.Rounded).Title("[bold]orders (sent after the warm-up)[/]");
        counts.AddColumn("");
        counts.AddColumn(new TableColumn("count").RightAligned());
        counts.AddColumn(new TableColumn("per second").RightAligned());
        counts.AddRow("sent", $"{s.Sent}", $"{s.SentPerSecond:0.0}");
        counts.AddRow("accepted (202)", $"{s.Accepted}", "");
        counts.AddRow("completed (final outcome)", $"{s.Completed}", $"{s.CompletedPerSecond:0.0}");
        foreach (var (status, count) in s.Outcomes.OrderByDescending(o => o.Value))
        {
            counts.AddRow($"  {Markup.Escape(status)}", $"{count}", "");
        }

        foreach (var (kind, count) in s.Errors.OrderByDescending(e => e.Value))
        {
            counts.AddRow($"[red]error[/] {Markup.Escape(kind)}", $"{count}", "");
        }

        counts.AddRow("final, notification missed (asked the gateway)", $"{s.NotificationsMissed}", "");
        counts.AddRow(s.Lost == 0 ? "[green]lost (accepted, never final)[/]" : "[red bold]lost (accepted, never final)[/]", $"{s.Lost}", "");

        var latency = new Table().Border(TableBorder.Rounded).Title("[bold]latency from each order's intended send time[/]");
        latency.AddColumn("");
        foreach (var column in new[] { "n", "p50", "p90", "p99", "p99.9", "max" })
        {
            latency.AddColumn(new TableColumn(column).RightAligned());
        }

        AddLatency(latency, "POST → 202 accepted", s.PostTo202);
        AddLatency(latency, "send → final outcome (notification)", s.SendToFinal);

        AnsiConsole.Write(counts);
        AnsiConsole.Write(latency);
    }

    public static async Task<string> WriteAsync(LoadSummary summary, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.json"), summary.ToJson());
        var chart = Path.Combine(directory, "chart.html");
        await File.WriteAllTextAsync(chart, await LoadChart.HtmlAsync(summary));
        return chart;
    }

    private static void AddLatency(Table table, string name, LatencySummary l) =>
        table.AddRow(name, $"{l.Count}", LiveProgress.Ms(l.P50), LiveProgress.Ms(l.P90), LiveProgress.Ms(l.P99), LiveProgress.Ms(l.P999), LiveProgress.Ms(l.Max));
}
