using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using TradingAspire.Tests.Support;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.TraceAnalytics.TradeAnalysis;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The routing policies compared on a real DuckDB store holding orders routed under <c>static</c> and <c>trace</c> with known
/// slippage: arms, venue shares, intervals and Welch's difference must match MathNet computed on the same numbers.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class RoutingComparisonStoreTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeWindow Window = new(Start, Start.AddHours(1));

    private readonly TradeAnalysisDatabase db = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task Arms_venue_shares_and_the_difference_match_the_reference()
    {
        var random = new Random(11);
        var slippage = new Dictionary<string, List<double>> { ["static"] = [], ["trace"] = [] };
        var spans = new List<SpanRecord>();
        for (var i = 0; i < 140; i++)
        {
            var policy = i % 7 < 4 ? "static" : "trace"; // 80 static, 60 trace
            var venue = policy == "static" ? (i % 2 == 0 ? "binance" : "coinbase") : "binance";
            var bps = Math.Round((policy == "static" ? 1.0 : 0.6) + Normal.Sample(random, 0, policy == "static" ? 0.5 : 0.3), 4);
            slippage[policy].Add(bps);
            spans.AddRange(StrategyTraces.RoutedOrder(i, Start.AddSeconds(i), venue, 20, bps, policy));
        }

        spans.AddRange(StrategyTraces.OrderWithSlippage(500, Start.AddSeconds(1), "kraken", 20, 9)); // no policy: not compared
        spans.AddRange(StrategyTraces.RoutedOrder(501, Start.AddHours(2), "kraken", 20, 9, "trace")); // outside the window
        await db.Store.AppendAsync(spans);

        var response = await db.Analysis.GetRoutingAsync(Window);

        Assert.Equal(["static", "trace"], response.Policies.Select(p => p.Policy));
        foreach (var arm in response.Policies)
        {
            var values = slippage[arm.Policy];
            Assert.Equal(values.Count, arm.N);
            Assert.Equal(values.Mean(), arm.MeanSlippageBps, 9);
            Assert.Equal(values.StandardDeviation(), arm.StdDevBps!.Value, 9);
            var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * values.StandardDeviation() / Math.Sqrt(values.Count);
            Assert.Equal(values.Mean() - half, arm.SlippageLow!.Value, 9);
            Assert.Equal(values.Mean() + half, arm.SlippageHigh!.Value, 9);
            Assert.True(arm.MeanFillLatencyMs > 20, "latency runs from the order's first span to the end of its venue.match");
        }

        var staticArm = response.Policies[0];
        Assert.Equal(["binance", "coinbase"], staticArm.Venues.Select(v => v.Venue).Order());
        Assert.Equal(1.0, staticArm.Venues.Sum(v => v.Share), 9);
        Assert.Equal("binance", Assert.Single(response.Policies[1].Venues).Venue);

        var difference = response.Difference!;
        Assert.Equal(slippage["trace"].Mean() - slippage["static"].Mean(), difference.Difference, 9);
        Assert.True(difference.High < 0, $"trace's lower slippage is detected: {difference}");
        Assert.True(difference.PValue < 0.001);
        Assert.Equal(0, response.LatencyDifferenceMs!.Value, 6);
    }

    [Fact]
    public async Task One_policy_alone_has_an_arm_and_no_difference()
    {
        await db.Store.AppendAsync([.. StrategyTraces.RoutedOrder(1, Start, "binance", 20, 0.4, "static"), .. StrategyTraces.RoutedOrder(2, Start.AddSeconds(1), "binance", 20, 0.8, "static")]);

        var response = await db.Analysis.GetRoutingAsync(Window);

        var arm = Assert.Single(response.Policies);
        Assert.Equal(2, arm.N);
        Assert.Equal(0.6, arm.MeanSlippageBps, 9);
        Assert.Null(response.Difference);
        Assert.Null(response.LatencyDifferenceMs);
    }
}
