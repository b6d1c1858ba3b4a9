using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using TradingAspire.Tests.Support;
using TradingAspire.TraceAnalytics.TradeAnalysis;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary><see cref="LinearFit"/> against a reference computation with MathNet.Numerics (Pearson, Fit.Line, Student t).</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class LinearFitTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(30, 3)]
    [InlineData(1000, 4)]
    public void R_slope_intercept_and_interval_match_the_reference_on_random_data(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => 5 + 200 * random.NextDouble()).ToArray();
        var y = x.Select(v => 1.5 + 0.03 * v + Normal.Sample(random, 0, 2)).ToArray();

        var fit = LinearFit.Of(x, y)!;

        var (intercept, slope) = Fit.Line(x, y);
        var residuals = x.Select((v, i) => y[i] - (intercept + slope * v)).ToArray();
        var sxx = x.Select(v => v - x.Average()).Sum(d => d * d);
        var standardError = Math.Sqrt(residuals.Sum(e => e * e) / (n - 2) / sxx);
        var t = StudentT.InvCDF(0, 1, n - 2, 0.975);
        Assert.Equal(n, fit.N);
        Assert.Equal(Correlation.Pearson(x, y), fit.R!.Value, 9);
        Assert.Equal(slope, fit.Slope, 9);
        Assert.Equal(intercept, fit.Intercept, 7);
        Assert.Equal(standardError, fit.SlopeStandardError!.Value, 9);
        Assert.Equal(slope - t * standardError, fit.SlopeLow!.Value, 9);
        Assert.Equal(slope + t * standardError, fit.SlopeHigh!.Value, 9);
        Assert.Equal(2 * StudentT.CDF(0, 1, n - 2, -Math.Abs(slope / standardError)), fit.PValue!.Value, 9);
    }

    [Fact]
    public void The_interval_uses_Student_t_with_n_minus_2_degrees_of_freedom()
    {
        // Twelve points, ten degrees of freedom: t(0.975, 10) = 2.228139 (tables), not the normal 1.96.
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        double[] y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 19.7, 22.3, 23.9];

        var fit = LinearFit.Of(x, y)!;

        Assert.Equal(2.228139, (fit.SlopeHigh!.Value - fit.Slope) / fit.SlopeStandardError!.Value, 5);
    }

    [Fact]
    public void Moments_give_the_same_fit_as_the_points()
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 50).Select(_ => random.NextDouble() * 100).ToArray();
        var y = x.Select(v => -3 + 0.5 * v + random.NextDouble()).ToArray();
        var mx = x.Average();
        var my = y.Average();

        var fromMoments = LinearFit.FromMoments(50, mx, my,
            x.Sum(v => (v - mx) * (v - mx)), y.Sum(v => (v - my) * (v - my)), x.Select((v, i) => (v - mx) * (y[i] - my)).Sum());

        var fromPoints = LinearFit.Of(x, y)!;
        Assert.Equal(fromPoints.R!.Value, fromMoments!.R!.Value, 9);
        Assert.Equal(fromPoints.Slope, fromMoments.Slope, 9);
        Assert.Equal(fromPoints.Intercept, fromMoments.Intercept, 9);
        Assert.Equal(fromPoints.SlopeLow!.Value, fromMoments.SlopeLow!.Value, 9);
        Assert.Equal(fromPoints.SlopeHigh!.Value, fromMoments.SlopeHigh!.Value, 9);
    }

    [Fact]
    public void Degenerate_samples_give_no_fit_or_no_interval()
    {
        Assert.Null(LinearFit.Of([], []));
        Assert.Null(LinearFit.Of([4, 4, 4], [1, 2, 3]));

        var two = LinearFit.Of([1, 3], [2, 6])!;
        Assert.Equal(2, two.Slope, 12);
        Assert.Null(two.SlopeLow);

        var flat = LinearFit.Of([1, 2, 3, 4], [5, 5, 5, 5])!;
        Assert.Null(flat.R);
        Assert.Equal(0, flat.Slope, 12);

        var exact = LinearFit.Of([1, 2, 3, 4], [3, 5, 7, 9])!;
        Assert.Equal(1, exact.R!.Value, 12);
        Assert.Equal(exact.SlopeLow!.Value, exact.SlopeHigh!.Value, 9);
    }
}
