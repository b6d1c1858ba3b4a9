using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class DuckDbTraceAnalyticsStoreTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Venues = ["binance", "kraken", "coinbase"];

    private readonly TempDirectory directory = new();
    private readonly TraceDatabase database;
    private readonly DuckDbTraceStore store;
    private readonly DuckDbTraceAnalyticsStore analytics;

    public DuckDbTraceAnalyticsStoreTests()
    {
        database = new TraceDatabase(directory.DatabasePath);
        store = new DuckDbTraceStore(database);
        analytics = new DuckDbTraceAnalyticsStore(database);
    }

    public void Dispose()
    {
        database.Dispose();
        directory.Dispose();
    }

    /// <summary>Orders one second apart, each to a venue in turn, with log-normal-ish venue latency; returns each trace's venue.match ms.</summary>
    private async Task<List<(string Venue, double VenueMatchMs, double RiskCheckMs)>> AppendOrdersAsync(int count, int seed = 1)
    {
        var random = new Random(seed);
        var orders = new List<(string, double, double)>();
        var batch = new List<SpanRecord>();
        for (var i = 0; i < count; i++)
        {
            var venue = Venues[i % Venues.Length];
            var median = venue switch { "binance" => 15.0, "kraken" => 25.0, _ => 50.0 };
            var venueMs = Math.Round(median * Math.Exp(0.25 * (random.NextDouble() - 0.5)), 3);
            var riskMs = Math.Round(0.5 + random.NextDouble(), 3);
            orders.Add((venue, venueMs, riskMs));
            batch.AddRange(SampleTraces.Order(i, Start.AddSeconds(i), venue, venueMs, riskCheckMs: riskMs, riskError: i % 10 == 0));
        }

        await store.AppendAsync(batch);
        return orders;
    }

    [Fact]
    public async Task Stage_percentiles_match_a_sorted_array_reference()
    {
        var orders = await AppendOrdersAsync(90);

        var groups = await analytics.GetLatencyAsync(new StageFilter(Start, Start.AddHours(1)), [LatencyDimension.Stage]);

        var match = groups.Single(g => g.Key.Stage == "venue.match");
        var expected = orders.Select(o => o.VenueMatchMs).Order().ToArray();
        Assert.Equal(90, match.Count);
        Assert.Equal(Quantiles.Continuous(expected, 0.5), match.P50Ms, 6);
        Assert.Equal(Quantiles.Continuous(expected, 0.95), match.P95Ms, 6);
        Assert.Equal(Quantiles.Continuous(expected, 0.99), match.P99Ms, 6);
        var risk = groups.Single(g => g.Key.Stage == "risk.check");
        Assert.Equal(9, risk.Errors);
        Assert.Equal(0.1, risk.ErrorRate, 9);
        Assert.DoesNotContain(groups, g => g.Key.Stage is "POST" or "POST /venues/{venue}/orders");
        Assert.All(groups, g => Assert.Null(g.Key.Venue));
    }

    [Fact]
    public async Task Grouping_by_venue_takes_the_venue_from_the_trace_for_stages_that_do_not_carry_it()
    {
        var orders = await AppendOrdersAsync(60);

        var groups = await analytics.GetLatencyAsync(new StageFilter(Start, Start.AddHours(1), Name: "risk.check"), [LatencyDimension.Stage, LatencyDimension.Venue]);

        Assert.Equal(Venues.Order(), groups.Select(g => g.Key.Venue!).Order());
        foreach (var group in groups)
        {
            var expected = orders.Where(o => o.Venue == group.Key.Venue).Select(o => o.RiskCheckMs).Order().ToArray();
            Assert.Equal("risk.check", group.Key.Stage);
            Assert.Equal(expected.Length, group.Count);
            Assert.Equal(Quantiles.Continuous(expected, 0.95), group.P95Ms, 6);
        }
    }

    [Fact]
    public async Task A_name_selects_any_span_and_a_window_excludes_what_lies_outside()
    {
        await AppendOrdersAsync(30);

        var post = await analytics.GetLatencyAsync(new StageFilter(Start, Start.AddSeconds(10), Name: "POST"), [LatencyDimension.Service]);

        Assert.Equal([("execution", 10L), ("orderflow", 10L)], post.Select(g => (g.Key.Service!, g.Count)));
    }

    [Fact]
    public async Task The_time_series_has_one_bucket_per_minute_with_its_percentiles()
    {
        var orders = await AppendOrdersAsync(150);

        var buckets = await analytics.GetLatencySeriesAsync(new StageFilter(Start, Start.AddHours(1), Name: "venue.match"), TimeSpan.FromMinutes(1));

        Assert.Equal([Start, Start.AddMinutes(1), Start.AddMinutes(2)], buckets.Select(b => b.Start));
        Assert.Equal([60L, 60L, 30L], buckets.Select(b => b.Count));
        var second = orders.Skip(60).Take(60).Select(o => o.VenueMatchMs).Order().ToArray();
        Assert.Equal(Quantiles.Continuous(second, 0.99), buckets[1].P99Ms!.Value, 6);
    }

    [Fact]
    public async Task Outliers_are_scored_against_their_stage_and_venue()
    {
        await AppendOrdersAsync(90);
        await store.AppendAsync(SampleTraces.Order(1000, Start.AddSeconds(95), "kraken", 412));

        var outliers = await analytics.FindStageOutliersAsync(new StageFilter(Start, Start.AddHours(1)), 3.5, 20, 50);

        // order.execute (which waits for the venue) is an outlier too; venue.match is the one asserted on here.
        var worst = outliers.First(o => o.Observation.Stage == "venue.match");
        Assert.Equal(SampleTraces.TraceId(1000), worst.Observation.TraceId);
        Assert.Equal("venue.match", worst.Observation.Stage);
        Assert.Equal("kraken", worst.Observation.Venue);
        Assert.Equal("ord-1000", worst.Observation.OrderId);
        Assert.InRange(worst.Baseline.MedianMs, 23, 27);
        var scored = new AnomalyScorer().Score(worst.Observation, worst.Baseline, "15-minute");
        Assert.NotNull(scored);
        Assert.StartsWith("venue.match 412 ms is ", scored.Reason);
        Assert.DoesNotContain(outliers, o => o.Observation.Venue == "binance" && o.Observation.Stage == "venue.match");
    }

    [Fact]
    public async Task Outliers_filtered_by_venue_are_that_venues_alone_and_scored_the_same()
    {
        await AppendOrdersAsync(90);
        await store.AppendAsync(SampleTraces.Order(1000, Start.AddSeconds(95), "kraken", 412));

        var all = await analytics.FindStageOutliersAsync(new StageFilter(Start, Start.AddHours(1)), 3.5, 20, 50);
        var kraken = await analytics.FindStageOutliersAsync(new StageFilter(Start, Start.AddHours(1), Name: "venue.match", Venue: "kraken"), 3.5, 20, 50);
        var binance = await analytics.FindStageOutliersAsync(new StageFilter(Start, Start.AddHours(1), Name: "venue.match", Venue: "binance"), 3.5, 20, 50);

        var expected = all.First(o => o.Observation.Stage == "venue.match" && o.Observation.Venue == "kraken");
        var only = Assert.Single(kraken);
        Assert.Equal(expected.Observation, only.Observation);
        Assert.Equal(expected.Baseline.Count, only.Baseline.Count);
        Assert.Equal(expected.Baseline.MedianMs, only.Baseline.MedianMs, 9);
        Assert.Equal(expected.Baseline.MadMs, only.Baseline.MadMs, 9);
        Assert.Equal(expected.Baseline.MeanAbsoluteDeviationMs, only.Baseline.MeanAbsoluteDeviationMs, 9);
        Assert.DoesNotContain(binance, o => o.Observation.TraceId == SampleTraces.TraceId(1000));
    }

    [Fact]
    public async Task An_outlier_must_also_be_far_above_the_median_in_milliseconds()
    {
        await AppendOrdersAsync(90);
        await store.AppendAsync(SampleTraces.Order(1000, Start.AddSeconds(95), "kraken", 412));

        var filter = new StageFilter(Start, Start.AddHours(1));
        var strict = await analytics.FindStageOutliersAsync(filter, 3.5, 20, 50, minExcessMs: 300);
        Assert.Contains(strict, o => o.Observation.Stage == "venue.match" && o.Observation.Venue == "kraken");
        Assert.All(strict, o => Assert.True(o.Observation.DurationMs - o.Baseline.MedianMs >= 300));
        Assert.Empty(await analytics.FindStageOutliersAsync(filter, 3.5, 20, 50, minExcessMs: 1000));
    }

    [Fact]
    public async Task Trace_timelines_hold_every_span_of_the_traces_rooted_in_the_window()
    {
        await AppendOrdersAsync(20);

        var timelines = await analytics.GetTraceTimelinesAsync(Start.AddSeconds(5), Start.AddSeconds(10), 100);

        Assert.Equal(5, timelines.Count);
        Assert.All(timelines, t => Assert.Equal(17, t.Spans.Count));
        Assert.Equal(Venues[5 % 3], timelines.Single(t => t.TraceId == SampleTraces.TraceId(5)).Venue);
        var report = BottleneckAnalyzer.Analyze(timelines);
        Assert.Equal(5, report.TraceCount);
        Assert.Equal(1, report.Stages.Sum(s => s.Share), 9);
        Assert.Equal("venue.match", report.Stages[0].Stage);
    }

    [Fact]
    public async Task Trace_timelines_leave_out_traces_of_no_order_such_as_a_feed_session()
    {
        await AppendOrdersAsync(20);
        var session = "feed0000000000000000000000000001";
        await store.AppendAsync([SampleTraces.Foreign(session, "feed000000000001", Start.AddSeconds(6), service: "marketdata", name: "marketdata.session")]);

        var timelines = await analytics.GetTraceTimelinesAsync(Start.AddSeconds(5), Start.AddSeconds(10), 100);

        Assert.Equal(5, timelines.Count);
        Assert.DoesNotContain(timelines, t => t.TraceId == session);
    }

    [Fact]
    public async Task Duration_samples_are_capped_per_group()
    {
        await AppendOrdersAsync(90);

        var samples = await analytics.GetDurationSamplesAsync(new StageFilter(Start, Start.AddHours(1), Name: "venue.match"), [LatencyDimension.Stage, LatencyDimension.Venue], 10);

        Assert.Equal(30, samples.Count);
        Assert.All(samples.GroupBy(s => s.Key), g => Assert.Equal(10, g.Count()));
    }
}
