using MathNet.Numerics.Statistics;
using TradingAspire.TraceAnalytics.Analytics;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class StatisticsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Quantiles_match_the_R7_definition_that_quantile_cont_uses(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => Math.Exp(random.NextDouble() * 4)).ToArray();
        var sorted = values.Order().ToArray();

        foreach (var p in new[] { 0, 0.01, 0.5, 0.95, 0.99, 1 })
        {
            Assert.Equal(Statistics.QuantileCustom(values, p, QuantileDefinition.R7), Quantiles.Continuous(sorted, p), 9);
        }
    }

    [Fact]
    public void Quantiles_interpolate_between_neighbours()
    {
        double[] sorted = [10, 20, 30, 40];

        Assert.Equal(25, Quantiles.Continuous(sorted, 0.5));
        Assert.Equal(38.5, Quantiles.Continuous(sorted, 0.95), 9);
        Assert.True(double.IsNaN(Quantiles.Continuous([], 0.5)));
    }

    [Fact]
    public void Median_and_MAD_ignore_a_huge_outlier()
    {
        double[] values = [10, 11, 12, 13, 14, 1000];

        var median = RobustStatistics.Median(values);

        Assert.Equal(12.5, median);
        Assert.Equal(1.5, RobustStatistics.MedianAbsoluteDeviation(values, median));
        Assert.Equal(0.6745 * (1000 - 12.5) / 1.5, RobustStatistics.ModifiedZScore(1000, median, 1.5, 0), 9);
    }

    [Fact]
    public void The_modified_z_score_falls_back_to_the_mean_absolute_deviation_when_the_MAD_is_zero()
    {
        double[] values = [5, 5, 5, 5, 5, 9];
        var median = RobustStatistics.Median(values);

        Assert.Equal(0, RobustStatistics.MedianAbsoluteDeviation(values, median));
        var meanAd = RobustStatistics.MeanAbsoluteDeviation(values, median);
        Assert.Equal(4.0 / 6, meanAd, 9);
        Assert.Equal(4 / (1.253314 * meanAd), RobustStatistics.ModifiedZScore(9, median, 0, meanAd), 9);
        Assert.Equal(0, RobustStatistics.ModifiedZScore(5, 5, 0, 0));
    }

    private static StageObservation Observation(int i, double ms, string venue = "kraken") =>
        new($"{i + 1:x32}", $"{i + 1:x16}", "venue.match", "exchanges", venue, $"ord-{i}", DateTime.UnixEpoch, ms);

    [Fact]
    public void The_anomaly_scorer_flags_a_slow_outlier_and_says_why()
    {
        var random = new Random(3);
        var observations = Enumerable.Range(0, 100).Select(i => Observation(i, 24 + random.NextDouble() * 6 - 3)).ToList();
        observations.Add(Observation(100, 412));
        observations.Add(Observation(101, 1)); // fast is not a problem

        var anomalies = new AnomalyScorer().ScoreAll(observations, "15-minute");

        var anomaly = Assert.Single(anomalies);
        Assert.Equal(412, anomaly.Observation.DurationMs);
        Assert.True(anomaly.Score > 3.5);
        Assert.Matches(@"^venue\.match 412 ms is \d+\.\d MADs above the 15-minute median 2\d ms at kraken \(modified z-score \d+\.\d > 3\.5\)$", anomaly.Reason);
    }

    [Fact]
    public void Each_venue_is_judged_against_its_own_distribution()
    {
        var observations = Enumerable.Range(0, 40).Select(i => Observation(i, 15 + i % 5, "binance"))
            .Concat(Enumerable.Range(40, 40).Select(i => Observation(i, 50 + i % 5, "coinbase")))
            .ToList();

        // 50 ms is normal for coinbase, though far above binance's median.
        Assert.Empty(new AnomalyScorer().ScoreAll(observations, "15-minute"));
    }

    [Fact]
    public void Too_few_samples_are_not_judged()
    {
        var observations = Enumerable.Range(0, 10).Select(i => Observation(i, 20 + i)).Append(Observation(10, 5000)).ToList();

        Assert.Empty(new AnomalyScorer(minimumSamples: 20).ScoreAll(observations, "15-minute"));
        Assert.Single(new AnomalyScorer(minimumSamples: 5).ScoreAll(observations, "15-minute"));
    }

    [Fact]
    public void Mann_Whitney_matches_scipy_on_separated_samples()
    {
        // scipy.stats.mannwhitneyu([6..10], [1..5], method="asymptotic") -> U=25, p=0.01219 (two-sided, continuity corrected)
        var result = MannWhitneyUTest.Compare([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);

        Assert.Equal(25, result.U);
        Assert.Equal(0.01219, result.PValue, 4);
        Assert.True(result.Z > 0);
        Assert.Equal(1, result.ProbabilityBGreater);
    }

    [Fact]
    public void Mann_Whitney_corrects_for_ties()
    {
        // Tie-corrected normal approximation worked by hand: ranks of B = 32, U(B) = 17, σ² = 25/12·(11 − 72/90), z = (4.5 − 0.5)/σ, p = 0.3855
        var result = MannWhitneyUTest.Compare([1, 2, 2, 3, 4], [2, 2, 3, 4, 5]);

        Assert.Equal(17, result.U);
        Assert.Equal(0.3855, result.PValue, 3);
    }

    [Fact]
    public void Mann_Whitney_finds_no_difference_between_samples_of_one_distribution_and_a_clear_one_after_a_shift()
    {
        var random = new Random(11);
        double Sample(double median) => median * Math.Exp(0.3 * Normal(random));
        var a = Enumerable.Range(0, 500).Select(_ => Sample(20)).ToArray();
        var same = Enumerable.Range(0, 500).Select(_ => Sample(20)).ToArray();
        var slower = Enumerable.Range(0, 500).Select(_ => Sample(26)).ToArray();

        Assert.True(MannWhitneyUTest.Compare(a, same).PValue > 0.01);
        var shifted = MannWhitneyUTest.Compare(a, slower);
        Assert.True(shifted.PValue < 1e-6);
        Assert.True(shifted.ProbabilityBGreater > 0.6);
        Assert.Equal(1, MannWhitneyUTest.Compare([], [1.0]).PValue);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
