using MathNet.Numerics.Distributions;

namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>The outcome of comparing two samples of durations.</summary>
/// <param name="U">The U statistic of sample B (how often a B value beats an A value, ties counting half).</param>
/// <param name="Z">Normal approximation of U, with tie and continuity correction; positive when B tends to be larger.</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="ProbabilityBGreater">Common-language effect size: P(b &gt; a) + P(b = a)/2 for random draws.</param>
public sealed record RankTestResult(int CountA, int CountB, double U, double Z, double PValue, double ProbabilityBGreater)
{
    public bool IsSignificant(double alpha) => PValue < alpha;
}

/// <summary>
/// Mann-Whitney U (Wilcoxon rank-sum) test, two-sided, with the normal approximation corrected for ties
/// and for continuity, as scipy.stats.mannwhitneyu(method="asymptotic") computes it. It compares whole
/// distributions without assuming a shape, which suits long-tailed latencies; with a few dozen samples
/// a side the approximation is good.
/// </summary>
public static class MannWhitneyUTest
{
    public static RankTestResult Compare(IReadOnlyCollection<double> a, IReadOnlyCollection<double> b)
    {
        var n1 = a.Count;
        var n2 = b.Count;
        if (n1 == 0 || n2 == 0)
        {
            return new RankTestResult(n1, n2, double.NaN, 0, 1, 0.5);
        }

        var pooled = a.Select(v => (Value: v, FromB: false)).Concat(b.Select(v => (Value: v, FromB: true)))
            .OrderBy(p => p.Value).ToArray();
        var n = pooled.Length;
        double rankSumB = 0;
        double tieTerm = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && pooled[j + 1].Value.Equals(pooled[i].Value))
            {
                j++;
            }

            var averageRank = (i + j) / 2.0 + 1;
            var ties = j - i + 1;
            tieTerm += (double)ties * ties * ties - ties;
            for (var k = i; k <= j; k++)
            {
                if (pooled[k].FromB)
                {
                    rankSumB += averageRank;
                }
            }

            i = j + 1;
        }

        var uB = rankSumB - n2 * (n2 + 1) / 2.0;
        var mean = (double)n1 * n2 / 2;
        var variance = (double)n1 * n2 / 12 * (n + 1 - tieTerm / ((double)n * (n - 1)));
        if (variance <= 0)
        {
            return new RankTestResult(n1, n2, uB, 0, 1, uB / ((double)n1 * n2));
        }

        var deviation = uB - mean;
        var corrected = Math.Max(0, Math.Abs(deviation) - 0.5);
        var z = Math.Sign(deviation) * corrected / Math.Sqrt(variance);
        var p = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new RankTestResult(n1, n2, uB, z, p, uB / ((double)n1 * n2));
    }
}
