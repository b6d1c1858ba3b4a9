namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>
/// Percentiles by linear interpolation between the closest ranks: position (n − 1)·p in the sorted
/// sample, as DuckDB's <c>quantile_cont</c> (and R's type 7, numpy's default) computes them.
/// </summary>
public static class Quantiles
{
    /// <param name="sorted">Ascending values.</param>
    /// <param name="p">0..1.</param>
    public static double Continuous(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var position = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        var fraction = position - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }

    /// <summary>p50, p95, p99 of an unsorted sample.</summary>
    public static (double P50, double P95, double P99) Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (Continuous(sorted, 0.5), Continuous(sorted, 0.95), Continuous(sorted, 0.99));
    }
}
