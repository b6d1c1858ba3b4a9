using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The same generated order traces through the tail sampler into one DuckDB store and unsampled into another:
/// every error, rejected and slow trace is kept, kept + dropped accounts for every trace, and the weighted stage
/// percentiles of the sampled store stay close to the unsampled ones, where the plain (unweighted) ones do not.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
[Collection(DuckDbTimingCollection.Name)]
public sealed class TailSamplingStoreTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Venues = ["binance", "kraken", "coinbase"];
    private static readonly string[] VaryingStages = ["venue.match", "order.execute", "process orders.approved", "risk.check"];

    /// <summary>Relative distance allowed between a weighted percentile of the sampled store and the unsampled one.</summary>
    private const double Tolerance = 0.15;

    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private sealed record GeneratedTrace(string TraceId, IReadOnlyList<SpanRecord> Spans, string Kind);

    /// <summary>
    /// Orders spread over 100 s: log-normal venue latency (median 15/25/50 ms by venue) and risk check; about 1 % errors,
    /// 1 % risk rejections and 10 slow orders (venue latency + 400 ms) after the first 300.
    /// </summary>
    private static List<GeneratedTrace> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var slow = Enumerable.Range(0, 10).Select(i => 300 + i * (count - 300) / 10).ToHashSet();
        var traces = new List<GeneratedTrace>(count);
        for (var n = 0; n < count; n++)
        {
            var venue = Venues[random.Next(Venues.Length)];
            var median = venue switch { "binance" => 15.0, "kraken" => 25.0, _ => 50.0 };
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var venueMs = median * Math.Exp(0.35 * normal) + (slow.Contains(n) ? 400 : 0);
            var riskMs = 0.4 + random.NextDouble();
            var kind = slow.Contains(n) ? "slow" : n % 97 == 13 ? "error" : n % 101 == 29 ? "rejected" : "ordinary";
            var spans = SampleTraces.Order(n, Start.AddTicks(n * TimeSpan.FromSeconds(100).Ticks / count), venue, venueMs,
                riskError: kind == "error", riskCheckMs: riskMs);
            if (kind == "rejected")
            {
                spans = spans.Select(s => s.SpanName == "risk.check"
                    ? s with { SpanAttributes = new Dictionary<string, string>(s.SpanAttributes) { [TradingAttributes.RiskDecision] = "rejected" } }
                    : s).ToArray();
            }

            traces.Add(new GeneratedTrace(spans[0].TraceId, spans, kind));
        }

        return traces;
    }

    [Theory]
    [InlineData(0.05, 2_000)]
    [InlineData(0.01, 10_000)]
    public async Task Sampled_store_keeps_every_error_rejected_and_slow_trace_and_its_weighted_stage_percentiles_match_the_unsampled(double keepShare, int count)
    {
        var traces = Generate(count, seed: 7);
        using var sampledDb = new TraceDatabase(Path.Combine(directory.Path, "sampled.duckdb"));
        using var fullDb = new TraceDatabase(Path.Combine(directory.Path, "full.duckdb"));
        var sampledStore = new DuckDbTraceStore(sampledDb);
        await new DuckDbTraceStore(fullDb).AppendAsync(traces.SelectMany(t => t.Spans).ToArray());

        var metrics = new SamplingMetrics(new ServiceTelemetry("TraceAnalytics"));
        await SampleAsync(traces, keepShare, sampledStore, metrics);

        // Every trace is accounted for: kept (by reason) + dropped = sent.
        var kept = metrics.KeptByReason();
        output.WriteLine($"KeepShare {keepShare}, {count} traces: kept {metrics.KeptTraces} ({string.Join(", ", kept.Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value}"))}), dropped {metrics.DroppedTraces} traces / {metrics.Spans(KeepReason.SampledOut)} spans");
        Assert.Equal(count, metrics.KeptTraces + metrics.DroppedTraces);
        Assert.Equal(metrics.DroppedTraces * traces[0].Spans.Count, metrics.Spans(KeepReason.SampledOut));
        Assert.True(metrics.DroppedTraces > count * 0.8, $"only {metrics.DroppedTraces} dropped");

        // Every error, rejected and slow trace is stored whole, with weight 1.
        foreach (var trace in traces.Where(t => t.Kind != "ordinary"))
        {
            var stored = await sampledStore.GetTraceAsync(trace.TraceId);
            Assert.True(trace.Spans.Count == stored.Count, $"{trace.Kind} trace {trace.TraceId}: {stored.Count} of {trace.Spans.Count} spans stored");
            Assert.All(stored, span => Assert.Equal(1, span.SampleWeight));
        }

        Assert.Equal(traces.Count(t => t.Kind == "rejected"), kept["rejected"]);
        Assert.Equal(traces.Count(t => t.Kind == "error"), kept["error"]);
        Assert.Equal(metrics.KeptTraces * traces[0].Spans.Count, await CountAsync(sampledDb, "1 = 1"));

        // Stage percentiles: weighted from the sampled store against the unsampled store's.
        var filter = new StageFilter(Start, Start.AddMinutes(5));
        var full = (await new DuckDbTraceAnalyticsStore(fullDb).GetLatencyAsync(filter, [LatencyDimension.Stage])).ToDictionary(g => g.Key.Stage!);
        var sampled = (await new DuckDbTraceAnalyticsStore(sampledDb).GetLatencyAsync(filter, [LatencyDimension.Stage])).ToDictionary(g => g.Key.Stage!);
        var worstUnweighted = 0.0;
        foreach (var stage in VaryingStages)
        {
            var (e, w) = (full[stage], sampled[stage]);
            var plain = Quantiles.Summary(await DurationsAsync(sampledDb, stage));
            output.WriteLine($"{stage,-24} unsampled p50 {e.P50Ms,7:0.00} p95 {e.P95Ms,7:0.00} p99 {e.P99Ms,7:0.00} n {e.Count} | weighted p50 {w.P50Ms,7:0.00} p95 {w.P95Ms,7:0.00} p99 {w.P99Ms,7:0.00} n {w.Count} | unweighted p50 {plain.P50,7:0.00} p95 {plain.P95,7:0.00} p99 {plain.P99,7:0.00}");
            AssertClose(stage, "p50", e.P50Ms, w.P50Ms);
            AssertClose(stage, "p95", e.P95Ms, w.P95Ms);
            AssertClose(stage, "p99", e.P99Ms, w.P99Ms);
            Assert.InRange(w.Count, e.Count * 0.8, e.Count * 1.2); // the weighted count estimates what was exported
            Assert.Equal(e.Errors, w.Errors); // errors are all kept, each with weight 1
            worstUnweighted = Math.Max(worstUnweighted, new[] { (e.P50Ms, plain.P50), (e.P95Ms, plain.P95), (e.P99Ms, plain.P99) }
                .Max(p => Math.Abs(p.Item2 - p.Item1) / p.Item1));
        }

        // The weighting is what makes them right: the plain percentiles of the kept spans are off (slow traces are all kept).
        Assert.True(worstUnweighted > 2 * Tolerance, $"the unweighted percentiles are off by at most {worstUnweighted:P0}");
    }

    [Fact]
    public async Task A_span_of_weight_w_counts_as_w_spans_in_the_stage_percentiles_and_anomaly_baselines()
    {
        // Store A: every order once with weight 3 (some) or 1. Store B: the weight-3 orders three times over. Same figures.
        using var weightedDb = new TraceDatabase(Path.Combine(directory.Path, "weighted.duckdb"));
        using var expandedDb = new TraceDatabase(Path.Combine(directory.Path, "expanded.duckdb"));
        var random = new Random(3);
        var weighted = new List<SpanRecord>();
        var expanded = new List<SpanRecord>();
        for (var n = 0; n < 300; n++)
        {
            var venueMs = Math.Round(5 + 40 * random.NextDouble(), 3);
            var weight = n % 4 == 0 ? 1 : 3;
            weighted.AddRange(SampleTraces.Order(n, Start.AddSeconds(n), venueMatchMs: venueMs, riskError: n % 10 == 0).Select(s => s with { SampleWeight = weight }));
            for (var copy = 0; copy < weight; copy++)
            {
                expanded.AddRange(SampleTraces.Order(n + copy * 1000, Start.AddSeconds(n), venueMatchMs: venueMs, riskError: n % 10 == 0));
            }
        }

        await new DuckDbTraceStore(weightedDb).AppendAsync(weighted);
        await new DuckDbTraceStore(expandedDb).AppendAsync(expanded);

        var filter = new StageFilter(Start, Start.AddHours(1));
        var a = await new DuckDbTraceAnalyticsStore(weightedDb).GetLatencyAsync(filter, [LatencyDimension.Stage]);
        var b = await new DuckDbTraceAnalyticsStore(expandedDb).GetLatencyAsync(filter, [LatencyDimension.Stage]);
        Assert.Equal(b.Count, a.Count);
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal(y.Key, x.Key);
            Assert.Equal(y.Count, x.Count);
            Assert.Equal(y.Errors, x.Errors);
            Assert.Equal(y.P50Ms, x.P50Ms, 9);
            Assert.Equal(y.P95Ms, x.P95Ms, 9);
            Assert.Equal(y.P99Ms, x.P99Ms, 9);
        }

        // Grouped by stage and venue (the venue taken from the trace for stages without one) the same.
        var byVenueA = await new DuckDbTraceAnalyticsStore(weightedDb).GetLatencyAsync(filter, [LatencyDimension.Stage, LatencyDimension.Venue]);
        var byVenueB = await new DuckDbTraceAnalyticsStore(expandedDb).GetLatencyAsync(filter, [LatencyDimension.Stage, LatencyDimension.Venue]);
        Assert.Equal(byVenueB.Select(g => (g.Key, g.Count, g.Errors)), byVenueA.Select(g => (g.Key, g.Count, g.Errors)));
        foreach (var (x, y) in byVenueA.Zip(byVenueB))
        {
            Assert.Equal(y.P95Ms, x.P95Ms, 9);
        }

        // The anomalies' baselines (median, MAD, mean absolute deviation per stage and venue) likewise.
        var outliersA = await new DuckDbTraceAnalyticsStore(weightedDb).FindStageOutliersAsync(filter, threshold: -1e9, minSamples: 5, limit: 100_000);
        var outliersB = await new DuckDbTraceAnalyticsStore(expandedDb).FindStageOutliersAsync(filter, threshold: -1e9, minSamples: 5, limit: 100_000);
        var baselinesA = outliersA.Select(o => o.Baseline).DistinctBy(bl => (bl.Stage, bl.Venue)).ToDictionary(bl => (bl.Stage, bl.Venue));
        var baselinesB = outliersB.Select(o => o.Baseline).DistinctBy(bl => (bl.Stage, bl.Venue)).ToDictionary(bl => (bl.Stage, bl.Venue));
        Assert.Equal(baselinesB.Keys.Order(), baselinesA.Keys.Order());
        Assert.Contains(("venue.match", "binance"), baselinesA.Keys);
        foreach (var (key, expected) in baselinesB)
        {
            var actual = baselinesA[key];
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.MedianMs, actual.MedianMs, 9);
            Assert.Equal(expected.MadMs, actual.MadMs, 9);
            Assert.Equal(expected.MeanAbsoluteDeviationMs, actual.MeanAbsoluteDeviationMs, 9);
        }

        var seriesA = await new DuckDbTraceAnalyticsStore(weightedDb).GetLatencySeriesAsync(filter with { Name = "venue.match" }, TimeSpan.FromMinutes(1));
        var seriesB = await new DuckDbTraceAnalyticsStore(expandedDb).GetLatencySeriesAsync(filter with { Name = "venue.match" }, TimeSpan.FromMinutes(1));
        Assert.Equal(seriesB.Select(s => (s.Start, s.Count, s.Errors)), seriesA.Select(s => (s.Start, s.Count, s.Errors)));
        foreach (var (x, y) in seriesA.Zip(seriesB))
        {
            Assert.Equal(y.P50Ms!.Value, x.P50Ms!.Value, 9);
            Assert.Equal(y.P99Ms!.Value, x.P99Ms!.Value, 9);
        }
    }

    /// <summary>Feeds the traces, 20 per export, through a tail sampler into the store via the real writer, deciding after each export.</summary>
    private static async Task SampleAsync(List<GeneratedTrace> traces, double keepShare, DuckDbTraceStore store, SamplingMetrics metrics)
    {
        var queue = new IngestQueue(1024);
        var writer = new TraceBatchWriter(queue, store, new IngestMonitor(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System),
            Options.Create(new IngestOptions()), NullLogger<TraceBatchWriter>.Instance);
        using var sampler = new TailSampler(
            Options.Create(new TailSamplingOptions { Enabled = true, KeepShare = keepShare }), Options.Create(new AlertOptions()),
            queue, metrics, TimeProvider.System, NullLogger<TailSampler>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            foreach (var export in traces.Chunk(20))
            {
                Assert.Equal(SamplingAdmission.Accepted, sampler.TryAccept(export.SelectMany(t => t.Spans).ToArray()));
                await sampler.DecideAsync(all: true);
            }
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private static void AssertClose(string stage, string percentile, double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * expected,
            $"{stage} {percentile}: weighted {actual:0.000} ms, unsampled {expected:0.000} ms (more than {Tolerance:P0} apart)");

    private static async Task<double[]> DurationsAsync(TraceDatabase database, string stage) =>
        (await database.QueryAsync(new DuckDbQuery($"""SELECT "Duration" / 1e6 AS ms FROM {SpanTableName} WHERE "SpanName" = $stage""").Bind("stage", stage),
            row => row.Double("ms"))).ToArray();

    private static async Task<long> CountAsync(TraceDatabase database, string where) =>
        Convert.ToInt64(await database.QueryScalarAsync(new DuckDbQuery($"SELECT count(*) FROM {SpanTableName} WHERE {where}")), System.Globalization.CultureInfo.InvariantCulture);

    private const string SpanTableName = "otel_traces";
}
