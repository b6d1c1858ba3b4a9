using TradingAspire.TraceAnalytics.Analytics;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class RecommendationWriterTests
{
    private static BottleneckReport Report(params VenueStageShare[] byVenue) => new(
        200, 200 * 40, 35, 60, 90,
        [new StageShare("venue.match", 200 * 24, 0.6, 0.7, 200), new StageShare("risk.check", 200 * 2, 0.05, 0.03, 200)],
        byVenue);

    [Fact]
    public void A_venue_stage_that_dominates_and_regressed_is_a_high_severity_hint_with_its_figures()
    {
        var input = new RecommendationInput(
            TimeSpan.FromMinutes(15),
            Report(new VenueStageShare("kraken", "venue.match", 3000, 0.62, 80, 80)),
            [new StageChange("venue.match", "kraken", 300, 310, 50, 70, 0.0004, true)],
            [],
            []);

        var first = new RecommendationWriter().Write(input)[0];

        Assert.Equal("high", first.Severity);
        Assert.Equal("kraken", first.Venue);
        Assert.Equal(
            "venue.match at venue kraken is 62% of the end-to-end latency of the orders routed there (80 orders in the last 15-minute window); " +
            "its p99 rose 40% since the previous 15-minute window (50 ms → 70 ms, significant, Mann-Whitney p = < 0.001); " +
            "consider lowering kraken's routing weight or a tighter venue timeout.",
            first.Message);
    }

    [Fact]
    public void Regressions_outlier_clusters_and_error_rates_each_get_a_hint()
    {
        var baseline = new StageBaseline("venue.match", "coinbase", 100, 50, 4, 5);
        var anomalies = Enumerable.Range(0, 4)
            .Select(i => new StageAnomaly(new StageObservation($"{i + 1:x32}", $"{i + 1:x16}", "venue.match", "exchanges", "coinbase", null, DateTime.UnixEpoch, 300 + i), baseline, 40, 60, "slow"))
            .ToArray();
        var input = new RecommendationInput(
            TimeSpan.FromHours(1),
            Report(),
            [new StageChange("risk.check", null, 500, 500, 2, 6, 0.01, true), new StageChange("order.route", null, 500, 500, 1, 1.1, 0.5, false)],
            anomalies,
            [new StageErrors("risk.check", 400, 60)]);

        var messages = new RecommendationWriter().Write(input).Select(r => r.Message).ToArray();

        Assert.Contains(messages, m => m.StartsWith("p99 of risk.check rose from 2 ms to 6 ms (+200%) since the previous 1-hour window", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("4 venue.match spans at coinbase were outliers in the last 1-hour window (worst 303 ms against a median of 50 ms", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("risk.check failed in 15% of 400 spans", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("venue.match is 60% of end-to-end latency over the last 1-hour window (70% for the slowest 5% of orders", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("order.route", StringComparison.Ordinal));
    }

    [Fact]
    public void With_nothing_to_say_it_says_so()
    {
        var empty = new RecommendationWriter().Write(new RecommendationInput(TimeSpan.FromMinutes(15), BottleneckReport.Empty, [], [], []));

        var only = Assert.Single(empty);
        Assert.Equal("info", only.Severity);
        Assert.Contains("No complete order traces", only.Message);
    }
}
