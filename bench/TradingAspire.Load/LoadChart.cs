using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradingAspire.Load;

/// <summary>
/// A self-contained HTML page (ECharts inlined, opens offline) with the run's throughput and latency per second.
/// </summary>
public static class LoadChart
{
    public static async Task<string> HtmlAsync(LoadSummary s)
    {
        await using var library = typeof(LoadChart).Assembly.GetManifestResourceStream("echarts.min.js")
            ?? throw new InvalidOperationException("echarts.min.js is not embedded.");
        var echarts = await new StreamReader(library).ReadToEndAsync();
        var points = JsonSerializer.Serialize(s.Timeline.Select(p => new object?[]
        {
            p.Second, p.Sent, p.Accepted, p.Completed, p.Errors, p.InFlight,
            Num(p.AcceptP50Ms), Num(p.AcceptP99Ms), Num(p.FinalP50Ms), Num(p.FinalP99Ms),
        }));
        var title = WebUtility.HtmlEncode(string.Create(CultureInfo.InvariantCulture,
            $"{s.TargetRate} orders/s target · {s.SentPerSecond:0} sent/s · {s.CompletedPerSecond:0} completed/s · " +
            $"send→final p50 {LiveProgress.Ms(s.SendToFinal.P50)} p99 {LiveProgress.Ms(s.SendToFinal.P99)} · lost {s.Lost}"));
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>tradingaspire-load</title>
            <style>body{font-family:system-ui,sans-serif;margin:16px;background:#fff;color:#222}#throughput,#latency{height:340px}</style>
            <script>{{echarts}}</script></head>
            <body>
            <h2>tradingaspire-load — {{WebUtility.HtmlEncode(s.Target)}}</h2>
            <p>{{title}}. Warm-up {{s.WarmupSeconds}} s (shaded), then {{s.DurationSeconds}} s measured; latency counts from each order's intended send time.</p>
            <div id="throughput"></div><div id="latency"></div>
            <script>
            const p = {{points}};
            const warm = {{s.WarmupSeconds}};
            const col = i => p.map(r => [r[0], r[i]]);
            const shade = { silent: true, itemStyle: { color: 'rgba(150,150,150,0.12)' }, data: [[{ xAxis: 0 }, { xAxis: warm }]] };
            echarts.init(document.getElementById('throughput')).setOption({
              animation: false, title: { text: 'Throughput (orders per second)' }, tooltip: { trigger: 'axis' }, legend: { top: 30 },
              grid: { top: 70 }, xAxis: { type: 'value', name: 's' },
              yAxis: [{ type: 'value', name: '/s' }, { type: 'value', name: 'in flight', splitLine: { show: false } }],
              series: [
                { name: 'sent', type: 'line', showSymbol: false, data: col(1), markArea: shade },
                { name: 'accepted', type: 'line', showSymbol: false, data: col(2) },
                { name: 'completed', type: 'line', showSymbol: false, data: col(3) },
                { name: 'errors', type: 'line', showSymbol: false, data: col(4), color: '#d33' },
                { name: 'in flight', type: 'line', showSymbol: false, yAxisIndex: 1, data: col(5), lineStyle: { type: 'dashed' } },
              ],
            });
            echarts.init(document.getElementById('latency')).setOption({
              animation: false, title: { text: 'Latency per second (ms, log scale)' }, tooltip: { trigger: 'axis' }, legend: { top: 30 },
              grid: { top: 70 }, xAxis: { type: 'value', name: 's' }, yAxis: { type: 'log', name: 'ms' },
              series: [
                { name: 'POST→202 p50', type: 'line', showSymbol: false, data: col(6), markArea: shade },
                { name: 'POST→202 p99', type: 'line', showSymbol: false, data: col(7) },
                { name: 'send→final p50', type: 'line', showSymbol: false, data: col(8) },
                { name: 'send→final p99', type: 'line', showSymbol: false, data: col(9) },
              ],
            });
            </script></body></html>
            """;
    }

    private static double? Num(double value) => double.IsNaN(value) ? null : Math.Round(value, 3);
}
