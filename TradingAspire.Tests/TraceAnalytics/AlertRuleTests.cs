using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class AlertRuleTests
{
    private static readonly AlertRule VenueP95 = new()
    {
        Name = "venue-p95", Stage = "venue.match", GroupBy = "venue", Percentile = 95, ThresholdMs = 100, MinSamples = 3, Window = TimeSpan.FromMinutes(1),
    };

    private static LatencyGroup Group(string venue, long count, double p95) => new(new LatencyKey(Venue: venue), count, 0, p95 / 2, p95, p95 * 1.2);

    [Fact]
    public void A_group_breaches_only_above_the_threshold_with_enough_samples()
    {
        var measured = AlertConditions.FromPercentiles(VenueP95, [Group("kraken", 10, 150), Group("binance", 10, 90), Group("coinbase", 2, 500)]);
        Assert.Equal(["kraken"], measured.Where(m => m.Breached).Select(m => m.Group));
        Assert.Equal(150, measured.Single(m => m.Group == "kraken").ValueMs);
    }

    [Fact]
    public void The_percentile_picks_the_measure()
    {
        var p99 = new AlertRule { Name = "p99", Stage = "x", Percentile = 99, ThresholdMs = 100, MinSamples = 1 };
        Assert.True(AlertConditions.FromPercentiles(p99, [Group("v", 5, 90)])[0].Breached); // p99 = 108
        Assert.Equal("all", AlertConditions.FromPercentiles(p99, [Group("v", 5, 90)])[0].Group);
    }

    [Fact]
    public void An_alert_fires_once_updates_while_breached_and_resolves_when_it_recovers()
    {
        var tracker = new AlertTracker();
        var now = DateTimeOffset.UnixEpoch;
        var breached = new[] { new AlertMeasurement("kraken", 150, 10, true) };

        var fired = tracker.Apply(VenueP95, breached, _ => [new AlertOffender("t1", "c1", "o1"), new AlertOffender("t2", "c2", "o2")], now);
        var (alert, transition) = Assert.Single(fired);
        Assert.True(transition);
        Assert.Equal((AlertState.Firing, "kraken", 150d), (alert.State, alert.Group, alert.ValueMs));
        Assert.Equal(["t1", "t2"], alert.TraceIds);

        var again = tracker.Apply(VenueP95, [new AlertMeasurement("kraken", 170, 12, true)], _ => [new AlertOffender("t3", "c1", "o3")], now.AddSeconds(10));
        Assert.False(Assert.Single(again).Transition);
        Assert.Equal(alert.Id, again[0].Alert.Id);
        Assert.Equal(170, again[0].Alert.ValueMs);

        var resolved = tracker.Apply(VenueP95, [new AlertMeasurement("kraken", 40, 12, false)], _ => [], now.AddSeconds(20));
        var (last, lastTransition) = Assert.Single(resolved);
        Assert.True(lastTransition);
        Assert.Equal((AlertState.Resolved, alert.Id), (last.State, last.Id));
        Assert.Equal(now.AddSeconds(20), last.ResolvedAt);
        Assert.Empty(tracker.Firing);
    }

    [Fact]
    public void A_trace_rule_fires_on_a_single_slow_span()
    {
        var rule = new AlertRule { Name = "outlier", Stage = "venue.match", Kind = "trace", GroupBy = "venue", ThresholdMs = 1000 };
        var measured = AlertConditions.FromSlowSpans(rule, [("kraken", 1500d), ("binance", 900d)]);
        Assert.Equal(["kraken"], measured.Select(m => m.Group));
        Assert.Equal("max", rule.Measure);
    }

    [Fact]
    public void A_client_sees_an_alert_with_only_its_own_slow_traces()
    {
        var alert = new LatencyAlert("a1", "r", "kraken", AlertState.Firing, "venue.match", "p95", 180, 150, DateTimeOffset.UtcNow, null,
            ["t1", "t2", "t3"], "slow", [new AlertOffender("t1", "alice", "o1"), new AlertOffender("t2", "bob", "o2"), new AlertOffender("t3", null, null)]);

        var alice = alert.ForClient("alice");
        Assert.Equal(["t1"], alice.TraceIds);
        Assert.Equal("o1", Assert.Single(alice.Offenders!).OrderId);
        Assert.Empty(alert.ForClient("mallory").TraceIds);
        Assert.Empty((alert with { Offenders = null }).ForClient("alice").TraceIds);
        Assert.Equal(alert.ValueMs, alice.ValueMs);
    }
}
