using System.Globalization;
using System.Text;
using Spectre.Console;

namespace TradingAspire.Load.Suite;

/// <summary>One line of the suite's table: a value per tracing setting, or one value for the whole run.</summary>
public sealed record ReportRow(string Figure, IReadOnlyList<string> Values);

/// <summary>A titled group of rows; <see cref="PerSetting"/> false when its rows hold one value each.</summary>
public sealed record ReportSection(string Title, bool PerSetting, IReadOnlyList<ReportRow> Rows);

/// <summary>The suite's one table (console and markdown) and the markdown report around it.</summary>
public sealed class SuiteReport(
    MachineInfo machine,
    SuiteSettings settings,
    IReadOnlyList<SettingResult> results,
    MicroBenchmarkOutcome micro,
    TraceStoreIngestResult? traceStore,
    string? traceStoreError,
    TimeSpan elapsed)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public IReadOnlyList<ReportSection> Sections() => [.. EndToEndSections(), .. SingleValueSections()];

    public Table ConsoleTable()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("figure");
        foreach (var result in results)
        {
            table.AddColumn(new TableColumn(Markup.Escape(result.Setting.Label)).RightAligned());
        }

        if (results.Count == 0)
        {
            table.AddColumn(new TableColumn("value").RightAligned());
        }

        var width = Math.Max(1, results.Count);
        foreach (var section in Sections())
        {
            table.AddRow([new Markup($"[bold]{Markup.Escape(section.Title)}[/]"), .. Enumerable.Repeat(new Markup(""), width)]);
            foreach (var row in section.Rows)
            {
                table.AddRow([new Markup(Markup.Escape(row.Figure)), .. Pad(row.Values, width).Select(v => new Markup(Markup.Escape(v)))]);
            }
        }

        return table;
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant, $"# TradingAspire benchmark suite, {machine.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(Invariant, $"- machine: {machine.Cpu}, {machine.Cores} cores, {machine.Os}, {machine.Runtime}");
        md.AppendLine(Invariant, $"- commit: `{machine.Commit}`; build: {settings.Configuration}; whole run {elapsed.TotalMinutes:0.0} min");
        md.AppendLine(Invariant, $"- load average (1/5/15 min) before: {machine.LoadBefore}, after: {machine.LoadAfter ?? "?"} — other work on the machine shows here");
        md.AppendLine(Invariant, $"- settings: tracing `{settings.Tracing}`, {settings.Replicas} risk and execution replica(s), {settings.Partitions} partition(s) on {(settings.Cluster ? "a Redis Cluster (3 masters)" : "one Redis")}, saturation {settings.SaturationRate}/s × {settings.SaturationSeconds} s, latency {settings.LatencyRate}/s × {settings.LatencySeconds} s, warm-up {settings.WarmupSeconds} s, drain {settings.DrainSeconds} s, {settings.Clients} clients, redis-benchmark -c {settings.XaddClients} -n {settings.XaddRequests} -P 1");
        md.AppendLine();
        var width = Math.Max(1, results.Count);
        md.AppendLine("| figure | " + (results.Count == 0 ? "value" : string.Join(" | ", results.Select(r => r.Setting.Label))) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", width)));
        foreach (var section in Sections())
        {
            md.AppendLine($"| **{section.Title}** |" + string.Concat(Enumerable.Repeat(" |", width)));
            foreach (var row in section.Rows)
            {
                md.AppendLine("| " + row.Figure + " | " + string.Join(" | ", Pad(row.Values, width)) + " |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Notes");
        md.AppendLine();
        foreach (var result in results)
        {
            var stop = result.ProcessesKilledAtStop == 0 ? "stopped cleanly" : $"{result.ProcessesKilledAtStop} processes killed at stop";
            md.AppendLine(Invariant, $"- {result.Setting.Label}: AppHost ready in {result.AppHostStart.TotalSeconds:0.0} s; {stop}; " +
                                     $"saturation errors: {Errors(result.Saturation)}; latency errors: {Errors(result.Latency)}");
            var perOrder = string.Join(", ", result.SaturationCommands.OrderByDescending(c => c.Value).Take(12)
                .Select(c => string.Create(Invariant, $"{c.Key} {c.Value / (double)Math.Max(1, result.Saturation.CompletedAll):0.0}/order")));
            md.AppendLine(Invariant, $"  - Redis commands in the saturation run ({result.CommandsTotal:N0} for {result.Saturation.CompletedAll:N0} final orders), top: {perOrder}");
        }

        if (micro.Markdown is not null)
        {
            md.AppendLine();
            md.AppendLine("## BenchmarkDotNet");
            md.AppendLine();
            md.AppendLine(micro.Markdown);
        }

        return md.ToString();
    }

    private IEnumerable<ReportSection> EndToEndSections()
    {
        if (results.Count == 0)
        {
            yield break;
        }

        ReportRow Row(string figure, Func<SettingResult, string> value) => new(figure, results.Select(value).ToArray());
        var off = results.FirstOrDefault(r => r.Setting.Off);

        yield return new ReportSection(
            $"1. Redis limit and the pipeline at saturation ({settings.SaturationRate:N0} orders/s offered, {settings.SaturationSeconds} s)", true,
            [
                Row("redis-benchmark XADD ops/s (-c 50 -P 1), redis-server's port", r => r.XaddDirect is { } x ? N(x.OpsPerSecond) : "—"),
                Row("redis-benchmark XADD ops/s through Aspire's proxy (as services connect)", r => N(r.XaddThroughProxy.OpsPerSecond)),
                Row("orders/s sent", r => N(r.Saturation.SentPerSecond)),
                Row("orders/s completed (max)", r => N(r.Saturation.CompletedPerSecond) + (r.Saturated ? "" : " (not saturated)")),
                Row("orders/s ÷ XADD ops/s", r => Ratio(r.Saturation.CompletedPerSecond / r.Xadd.OpsPerSecond)),
                Row("Redis commands per order (all, incl. in scripts and background)", r => F(r.CommandsPerOrder, "0.0")),
                Row("Redis ceiling: XADD ops/s ÷ commands per order", r => N(r.RedisCeiling)),
                Row("orders/s ÷ Redis ceiling", r => Ratio(r.Saturation.CompletedPerSecond / r.RedisCeiling)),
                Row("POST→202 p99 / send→final p99 at saturation", r => $"{Ms(r.Saturation.PostTo202.P99)} / {Ms(r.Saturation.SendToFinal.P99)}"),
                Row("lost orders (acknowledged, never final)", r => N(r.Saturation.Lost)),
            ]);

        yield return new ReportSection("2. Tracing cost (side by side, same run)", true,
            [
                Row("max orders/s", r => N(r.Saturation.CompletedPerSecond)),
                Row("tracing cost: 1 − orders/s ÷ orders/s with tracing off", r => off is null || r.Setting.Off
                    ? "—"
                    : Percent(1 - (r.Saturation.CompletedPerSecond / off.Saturation.CompletedPerSecond))),
                Row($"send→final p99 at {settings.LatencyRate:N0}/s", r => Ms(r.Latency.SendToFinal.P99)),
            ]);

        yield return new ReportSection($"3. Latency at a fixed {settings.LatencyRate:N0} orders/s ({settings.LatencySeconds} s)", true,
            [
                Row("orders/s sent / accepted (202)", r => $"{N(r.Latency.SentPerSecond)} / {N(r.Latency.Accepted / (double)r.Latency.DurationSeconds)}"),
                Row("orders/s completed", r => N(r.Latency.CompletedPerSecond)),
                Row("POST→202 p50 / p99", r => $"{Ms(r.Latency.PostTo202.P50)} / {Ms(r.Latency.PostTo202.P99)}"),
                Row("send→final p50 / p99 / p99.9 (accepted orders)", r => $"{Ms(r.Latency.SendToFinal.P50)} / {Ms(r.Latency.SendToFinal.P99)} / {Ms(r.Latency.SendToFinal.P999)}"),
                Row("refused or failed requests", r => N(r.Latency.Errors.Values.Sum())),
                Row("lost orders", r => N(r.Latency.Lost)),
            ]);
    }

    private IEnumerable<ReportSection> SingleValueSections()
    {
        if (micro.Results.Count > 0 || micro.Error is not null)
        {
            yield return new ReportSection("4. Micro-benchmarks (BenchmarkDotNet: mean ± error · allocated per operation)", false,
                micro.Error is not null
                    ? [new ReportRow("failed", [micro.Error])]
                    : micro.Results.Select(m => new ReportRow(m.Benchmark, [$"{m.Mean} ± {m.Error} · {m.Allocated}"])).ToArray());
        }

        if (traceStore is not null)
        {
            yield return new ReportSection($"5. Trace store ingest, one thread ({traceStore.Spans:N0} spans)", false,
            [
                new ReportRow("spans/s end to end (decode + convert + DuckDB append)", [N(traceStore.SpansPerSecond)]),
                new ReportRow("spans/s decode + convert / append", [$"{N(traceStore.DecodeSpansPerSecond)} / {N(traceStore.AppendSpansPerSecond)}"]),
                new ReportRow("CPU cores busy", [traceStore.CoresBusy.ToString("0.00", Invariant)]),
            ]);
        }
        else if (traceStoreError is not null)
        {
            yield return new ReportSection("5. Trace store ingest", false, [new ReportRow("failed", [traceStoreError])]);
        }
    }

    private static IEnumerable<string> Pad(IReadOnlyList<string> values, int width) => values.Concat(Enumerable.Repeat("", Math.Max(0, width - values.Count)));

    private static string Errors(LoadSummary summary) =>
        summary.Errors.Count == 0 ? "none" : string.Join(", ", summary.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}"));

    private static string N(double value) => double.IsFinite(value) ? value.ToString("N0", Invariant) : "—";

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, Invariant) : "—";

    private static string Ratio(double value) => double.IsFinite(value) ? value.ToString(value < 0.01 ? "0.0000" : "0.000", Invariant) : "—";

    private static string Percent(double value) => double.IsFinite(value) ? (value * 100).ToString("0.0", Invariant) + " %" : "—";

    private static string Ms(double ms) => !double.IsFinite(ms) ? "—"
        : ms < 10 ? ms.ToString("0.00", Invariant) + " ms"
        : ms < 10_000 ? ms.ToString("N0", Invariant) + " ms"
        : (ms / 1000).ToString("0.0", Invariant) + " s";
}
