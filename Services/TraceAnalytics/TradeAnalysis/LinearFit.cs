using MathNet.Numerics.Distributions;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>
/// An ordinary least-squares line y = Intercept + Slope·x with Pearson's r, and the slope's two-sided confidence
/// interval Slope ± t(1 − α/2, n − 2)·SE (Student t with n − 2 degrees of freedom; SE = √(RSS / (n − 2) / Sxx)) and the
/// p-value of the slope being 0. Built from the sufficient statistics (n, means, Sxx, Syy, Sxy), which DuckDB's
/// <c>regr_*</c> aggregates compute, or from the points themselves.
/// </summary>
/// <param name="R">Pearson's r; null when y does not vary.</param>
/// <param name="SlopeLow">Lower end of the slope's interval; null with fewer than 3 points (no degrees of freedom left).</param>
public sealed record LinearFit(
    long N, double? R, double Slope, double Intercept, double? SlopeStandardError, double? SlopeLow, double? SlopeHigh, double? PValue, double Confidence)
{
    public const double DefaultConfidence = 0.95;

    public double? RSquared => R * R;

    /// <summary>The fit of n points with the given means and centred sums of squares; null when x does not vary (or n &lt; 2).</summary>
    public static LinearFit? FromMoments(long n, double meanX, double meanY, double sxx, double syy, double sxy, double confidence = DefaultConfidence)
    {
        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "A confidence level is between 0 and 1.");
        }

        if (n < 2 || !(sxx > 0))
        {
            return null;
        }

        var slope = sxy / sxx;
        var intercept = meanY - slope * meanX;
        double? r = syy > 0 ? Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1) : null;
        if (n < 3)
        {
            return new LinearFit(n, r, slope, intercept, null, null, null, null, confidence);
        }

        var degrees = n - 2;
        var residual = Math.Max(0, syy - slope * sxy);
        var standardError = Math.Sqrt(residual / degrees / sxx);
        var t = StudentT.InvCDF(0, 1, degrees, 1 - (1 - confidence) / 2);
        double pValue = standardError > 0 ? 2 * (1 - StudentT.CDF(0, 1, degrees, Math.Abs(slope) / standardError)) : slope == 0 ? 1 : 0;
        return new LinearFit(n, r, slope, intercept, standardError, slope - t * standardError, slope + t * standardError, pValue, confidence);
    }

    /// <summary>The fit of the points (x[i], y[i]), two-pass (means first) for accuracy.</summary>
    public static LinearFit? Of(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidence = DefaultConfidence)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values and y {y.Count}.", nameof(y));
        }

        var n = x.Count;
        if (n == 0)
        {
            return null;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= n;
        meanY /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }

        return FromMoments(n, meanX, meanY, sxx, syy, sxy, confidence);
    }
}
