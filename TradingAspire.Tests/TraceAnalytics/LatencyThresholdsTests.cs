using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class LatencyThresholdsTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void A_latency_is_unknown_until_the_warmup_then_slow_only_above_the_running_percentile()
    {
        var thresholds = new LatencyThresholds(slowPercentile: 99, stageAnomalyPercentile: 99.9, warmupTraces: 100);
        for (var i = 0; i < 99; i++)
        {
            thresholds.RecordEndToEnd("POST /orders", (10 + i % 10) * Ms); // 10..19 ms
        }

        Assert.Equal(LatencyVerdict.Unknown, thresholds.EndToEnd("POST /orders", 500 * Ms));
        thresholds.RecordEndToEnd("POST /orders", 15 * Ms);

        Assert.Equal(LatencyVerdict.Slow, thresholds.EndToEnd("POST /orders", 25 * Ms));
        Assert.Equal(LatencyVerdict.Normal, thresholds.EndToEnd("POST /orders", 12 * Ms));
        Assert.Equal(LatencyVerdict.Unknown, thresholds.EndToEnd("GET /other", 500 * Ms)); // its own window, still empty
        Assert.Equal(LatencyVerdict.Unknown, thresholds.Stage("venue.match", 500 * Ms)); // stages wait for 1,000 at p99.9
    }

    [Fact]
    public void The_window_follows_a_shift_in_latency()
    {
        var thresholds = new LatencyThresholds(99, 99.9, 100);
        for (var i = 0; i < LatencyThresholds.WindowSize; i++)
        {
            thresholds.RecordEndToEnd("POST", 10 * Ms);
        }

        Assert.Equal(LatencyVerdict.Slow, thresholds.EndToEnd("POST", 40 * Ms));
        for (var i = 0; i < 2 * LatencyThresholds.WindowSize; i++)
        {
            thresholds.RecordEndToEnd("POST", 50 * Ms); // the venue got slower for good: 50 ms is the new normal
        }

        Assert.Equal(LatencyVerdict.Normal, thresholds.EndToEnd("POST", 40 * Ms));
        Assert.Equal(LatencyVerdict.Slow, thresholds.EndToEnd("POST", 60 * Ms));
    }

    [Fact]
    public void Past_the_name_limit_a_new_name_is_judged_normal_not_kept_forever()
    {
        var thresholds = new LatencyThresholds(99, 99.9, 100);
        for (var n = 0; n < LatencyThresholds.MaxNames; n++)
        {
            thresholds.RecordEndToEnd($"GET /items/{n}", 10 * Ms);
        }

        Assert.Equal(LatencyVerdict.Normal, thresholds.EndToEnd("GET /items/new", 10 * Ms));
        Assert.Equal(LatencyVerdict.Unknown, thresholds.EndToEnd("GET /items/1", 10 * Ms)); // a known name with one trace: still warming up
    }
}
