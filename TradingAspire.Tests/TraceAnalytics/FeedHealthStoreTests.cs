using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Feeds;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Retention;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The <c>feed_health</c> table in a real DuckDB file, and the period sums over many reports.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedHealthStoreTests : IDisposable
{
    private static readonly DateTime Now = new(2025, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }

    private static FeedHealthReport Report(DateTime start, double p50 = 1, double p99 = 5, long messages = 100) =>
        new("binance", start, start.AddSeconds(5), FeedStates.Up, 5, messages, p50, p99, p99 * 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);

    [Fact]
    public async Task Reports_past_the_retention_age_are_deleted_with_the_spans()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var feeds = new DuckDbFeedHealthStore(database);
        await new DuckDbTraceStore(database).AppendAsync(SampleTraces.Order(0, Now.AddHours(-100)));
        await feeds.SaveAsync(Report(Now.AddHours(-100)));
        await feeds.SaveAsync(Report(Now.AddHours(-71)));

        var job = new TraceRetentionJob(new DuckDbTraceRetentionStore(database),
            Options.Create(new TraceStoreOptions { RetentionHours = 72 }), new FixedClock(Now), NullLogger<TraceRetentionJob>.Instance);
        await job.RunOnceAsync();

        var left = await feeds.GetReportsAsync(new TimeWindow(Now.AddHours(-200), Now));
        Assert.Equal([Now.AddHours(-71)], left.Select(r => r.IntervalStart.UtcDateTime));
    }

    [Fact]
    public async Task A_report_saved_again_replaces_the_first_and_the_period_takes_reports_by_interval_end()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var feeds = new DuckDbFeedHealthStore(database);
        await feeds.SaveAsync(Report(Now, p99: 5));
        await feeds.SaveAsync(Report(Now, p99: 7));
        await feeds.SaveAsync(Report(Now.AddSeconds(5)));

        var reports = await feeds.GetReportsAsync(new TimeWindow(Now.AddSeconds(5), Now.AddSeconds(10)));

        var only = Assert.Single(reports); // (Now+5, Now+10]: the first interval ends at the period's start
        Assert.Equal(Now.AddSeconds(5), only.IntervalStart.UtcDateTime);
        Assert.Equal(7, Assert.Single(await feeds.GetReportsAsync(new TimeWindow(Now, Now.AddSeconds(5)))).LatencyP99Ms);
    }

    [Fact]
    public void A_long_period_merges_intervals_into_buckets_with_weighted_p50_and_worst_p99()
    {
        // 24 hours of 5-second reports: far more than MaxPoints.
        var window = new TimeWindow(Now, Now.AddHours(24));
        var reports = Enumerable.Range(0, 24 * 720)
            .Select(i => Report(Now.AddSeconds(5 * i), p50: i % 2 == 0 ? 1 : 3, p99: i % 48 == 47 ? 50 : 5, messages: i % 2 == 0 ? 300 : 100))
            .ToArray();

        var latency = Assert.Single(FeedHealthAnalysis.Summarize(window, reports, []).Venues).Latency;

        Assert.Equal(240, latency.BucketSeconds); // 24 h / 360 points
        Assert.Equal(360, latency.Points.Count);
        var first = latency.Points[0];
        Assert.Equal(Now, first.Start);
        Assert.Equal(Now.AddMinutes(4), first.End);
        Assert.Equal(48 * 200, first.Messages);
        Assert.Equal((1.0 * 300 + 3.0 * 100) / 400, first.P50Ms!.Value, 9);
        Assert.Equal(50, first.P99Ms);
        Assert.Equal(50, latency.WorstP99Ms);
    }
}
