using System.Globalization;
using System.Text;
using TradingAspire.Load.Suite;

namespace TradingAspire.Load.Feed;

/// <summary>The feed benchmark's markdown: every saturation run, the monitoring cost, and the latency runs.</summary>
public sealed class FeedReport(
    MachineInfo machine, FeedSettings settings, IReadOnlyList<SaturationRun> saturation, IReadOnlyList<LatencyRun> latency, TimeSpan elapsed)
{
    /// <summary>The issue's goal: monitoring costs at most this share of throughput.</summary>
    public const double CostGoal = 0.10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public double MeanRate(bool monitoring) => Mean(saturation.Where(r => r.Monitoring == monitoring).Select(r => r.Window.MessagesPerSecond));

    public double MeanMicros(bool monitoring) => Mean(saturation.Where(r => r.Monitoring == monitoring).Select(r => r.Window.MarketDataMicrosPerMessage));

    /// <summary>1 − messages/s with monitoring on ÷ off (means over the rounds).</summary>
    public double Cost => 1 - MeanRate(true) / MeanRate(false);

    /// <summary>The same from marketdata's CPU per message: 1 − µs off ÷ µs on (what throughput would lose if marketdata's CPU were the limit).</summary>
    public double CpuCost => 1 - MeanMicros(false) / MeanMicros(true);

    public string Tables()
    {
        var text = new StringBuilder();
        if (saturation.Count > 0)
        {
            AppendSaturation(text);
        }

        AppendLatency(text);
        return text.ToString();
    }

    private void AppendSaturation(StringBuilder text)
    {
        text.AppendLine(Invariant, $"**(a) Saturation**: {settings.SaturationRate:N0} msg/s offered by one venue ({settings.Venue}) with backpressure, " +
                                   $"{settings.WarmupSeconds} s warm-up + {settings.Seconds} s per run, a fresh marketdata per run.");
        text.AppendLine();
        text.AppendLine("| run | monitoring | msg/s taken | marketdata CPU (cores) | marketdata µs CPU / msg | exchanges CPU (cores) | disconnects · gaps |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var run in saturation)
        {
            var w = run.Window;
            text.AppendLine(Invariant, $"| {run.Round} | {(run.Monitoring ? "on" : "off")} | {w.MessagesPerSecond:N0} | {w.MarketDataCores:0.00} | " +
                                       $"{w.MarketDataMicrosPerMessage:0.00} | {w.ExchangesCores:0.00} | {w.Disconnects} · {w.Gaps} |");
        }

        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(Invariant, $"| msg/s taken, monitoring on (mean of {Count(true)}) | **{MeanRate(true):N0}** |");
        text.AppendLine(Invariant, $"| msg/s taken, monitoring off (mean of {Count(false)}) | **{MeanRate(false):N0}** |");
        text.AppendLine(Invariant, $"| ratio on ÷ off (per round: {string.Join(", ", RoundRatios().Select(r => r.ToString("0.00", Invariant)))}) | {MeanRate(true) / MeanRate(false):0.00} |");
        text.AppendLine(Invariant, $"| **monitoring cost, 1 − on ÷ off** (goal ≤ {CostGoal:P0}) | **{Cost:P1}** {(Cost <= CostGoal ? "(met)" : "(missed)")} |");
        text.AppendLine(Invariant, $"| marketdata µs CPU per message, on / off | {MeanMicros(true):0.00} / {MeanMicros(false):0.00} |");
        text.AppendLine(Invariant, $"| monitoring cost by CPU per message, 1 − off ÷ on | {CpuCost:P1} |");
        text.AppendLine();
    }

    private void AppendLatency(StringBuilder text)
    {
        text.AppendLine(Invariant, $"**(b) Latency**, monitoring on, {settings.WarmupSeconds} s warm-up + {settings.LatencySeconds} s per rate, " +
                                   $"venue tick {settings.TickMs} ms; latency = marketdata's receive time − the venue's `ts` (same clock).");
        text.AppendLine();
        text.AppendLine("| offered msg/s | achieved msg/s | latency p50 | p99 | p99.9 | max | marketdata CPU (cores) | exchanges CPU (cores) | disconnects |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in latency)
        {
            var w = run.Window;
            text.AppendLine(Invariant, $"| {run.Offered:N0} | {w.MessagesPerSecond:N0} | {Ms(run.P50Ms)} | {Ms(run.P99Ms)} | {Ms(run.P999Ms)} | {Ms(run.MaxMs)} | " +
                                       $"{w.MarketDataCores:0.00} | {w.ExchangesCores:0.00} | {w.Disconnects} |");
        }
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Feed benchmark (issue 10)");
        text.AppendLine();
        text.AppendLine(Invariant, $"{machine.Describe()}; load average after {machine.LoadAfter}; ran {elapsed.TotalMinutes:0.0} min.");
        text.AppendLine();
        text.AppendLine(Invariant, $"Command: `tradingaspire-load feed --venue {settings.Venue} --rounds {settings.Rounds} --saturation-rate {settings.SaturationRate} " +
                                   $"--duration {settings.Seconds} --latency-rates {settings.LatencyRates} --latency-duration {settings.LatencySeconds} " +
                                   $"--warmup {settings.WarmupSeconds} --tick-ms {settings.TickMs} --configuration {settings.Configuration}`");
        text.AppendLine();
        text.Append(Tables());
        text.AppendLine();
        text.AppendLine("Monitoring off is `MarketData:Monitoring:Enabled=false`: marketdata parses each frame and updates the book only (no sequence " +
                        "tracking, latency histograms, per-message metrics or spans). Both settings export over OTLP/HTTP to a sink that discards " +
                        "(1 s metric interval, as under Aspire). Each process's logs are beside this file.");
        return text.ToString();
    }

    private IEnumerable<double> RoundRatios() =>
        saturation.GroupBy(r => r.Round)
            .Where(g => g.Any(r => r.Monitoring) && g.Any(r => !r.Monitoring))
            .Select(g => g.First(r => r.Monitoring).Window.MessagesPerSecond / g.First(r => !r.Monitoring).Window.MessagesPerSecond);

    private int Count(bool monitoring) => saturation.Count(r => r.Monitoring == monitoring);

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "—" : ms.ToString(ms < 10 ? "0.000" : "0.0", Invariant) + " ms";
}
