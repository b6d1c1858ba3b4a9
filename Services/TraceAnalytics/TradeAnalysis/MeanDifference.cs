using MathNet.Numerics.Distributions;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>
/// Means from summary statistics (n, mean, sample variance): a mean's interval mean ± t(1 − α/2, n − 1)·s/√n, and the
/// difference of two means (b − a) by Welch's t test: SE = √(s²a/na + s²b/nb), Welch–Satterthwaite degrees of freedom,
/// interval difference ± t·SE and the two-sided p-value of no difference.
/// </summary>
/// <param name="Low">Lower end of the interval; null without enough observations (n &lt; 2 in either group) or spread.</param>
public sealed record MeanDifference(double Difference, double? StandardError, double? DegreesOfFreedom, double? Low, double? High, double? PValue, double Confidence)
{
    /// <summary>The interval of one mean; null ends with fewer than 2 observations.</summary>
    public static (double? Low, double? High) MeanInterval(long n, double mean, double? variance, double confidence = LinearFit.DefaultConfidence)
    {
        if (n < 2 || variance is not { } v || !(v >= 0))
        {
            return (null, null);
        }

        var half = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - confidence) / 2) * Math.Sqrt(v / n);
        return (mean - half, mean + half);
    }

    /// <summary>Welch's comparison of group b with group a (difference b − a).</summary>
    public static MeanDifference Welch(long na, double meanA, double? varianceA, long nb, double meanB, double? varianceB, double confidence = LinearFit.DefaultConfidence)
    {
        var difference = meanB - meanA;
        if (na < 2 || nb < 2 || varianceA is not { } va || varianceB is not { } vb)
        {
            return new MeanDifference(difference, null, null, null, null, null, confidence);
        }

        var a = va / na;
        var b = vb / nb;
        var se = Math.Sqrt(a + b);
        if (!(se > 0))
        {
            return new MeanDifference(difference, 0, null, difference, difference, difference == 0 ? 1 : 0, confidence);
        }

        var df = (a + b) * (a + b) / (a * a / (na - 1) + b * b / (nb - 1));
        var t = StudentT.InvCDF(0, 1, df, 1 - (1 - confidence) / 2);
        var p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(difference) / se));
        return new MeanDifference(difference, se, df, difference - t * se, difference + t * se, p, confidence);
    }
}
