using TradingAspire.Tests.Support;
using TradingAspire.TraceAnalytics.TradeAnalysis;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class MeanDifferenceTests
{
    private static (long N, double Mean, double Variance) Summary(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return (values.Count, mean, values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    [Fact]
    public void With_equal_sizes_and_variances_Welch_is_the_regression_on_a_group_indicator()
    {
        // b = a + 0.7: same variance, same size → Welch's df is n_a + n_b − 2 and its test is the pooled one,
        // which is the OLS slope of y on a 0/1 group indicator (LinearFit, itself checked against MathNet).
        double[] a = [0.2, 1.4, -0.3, 0.9, 2.1, 0.5, 1.1, -0.8, 0.4, 1.7];
        var b = a.Select(v => v + 0.7).ToArray();
        var (na, meanA, varA) = Summary(a);
        var (nb, meanB, varB) = Summary(b);

        var welch = MeanDifference.Welch(na, meanA, varA, nb, meanB, varB);
        var fit = LinearFit.Of([.. a.Select(_ => 0.0), .. b.Select(_ => 1.0)], [.. a, .. b])!;

        Assert.Equal(0.7, welch.Difference, 12);
        Assert.Equal(18, welch.DegreesOfFreedom!.Value, 9);
        Assert.Equal(fit.SlopeStandardError!.Value, welch.StandardError!.Value, 12);
        Assert.Equal(fit.SlopeLow!.Value, welch.Low!.Value, 9);
        Assert.Equal(fit.SlopeHigh!.Value, welch.High!.Value, 9);
        Assert.Equal(fit.PValue!.Value, welch.PValue!.Value, 9);
    }

    [Fact]
    public void Unequal_variances_take_Welch_Satterthwaite_degrees_of_freedom()
    {
        var welch = MeanDifference.Welch(10, 1.0, 4.0, 40, 0.5, 0.25);

        // SE² = 0.4 + 0.00625; df = SE⁴ / (0.4²/9 + 0.00625²/39), between the smaller group's n − 1 and n_a + n_b − 2.
        Assert.Equal(Math.Sqrt(0.40625), welch.StandardError!.Value, 12);
        Assert.Equal(0.40625 * 0.40625 / (0.16 / 9 + 0.00625 * 0.00625 / 39), welch.DegreesOfFreedom!.Value, 9);
        Assert.InRange(welch.DegreesOfFreedom!.Value, 9, 48);
        Assert.True(welch.Low < -0.5 && welch.High > -0.5 && welch.PValue > 0.05);
    }

    [Fact]
    public void Too_few_observations_give_the_difference_without_an_interval()
    {
        var welch = MeanDifference.Welch(1, 1.0, null, 30, 0.5, 0.2);

        Assert.Equal(-0.5, welch.Difference, 12);
        Assert.Null(welch.Low);
        Assert.Null(welch.PValue);
        Assert.Equal((null, null), MeanDifference.MeanInterval(1, 0.3, null));
    }
}
