using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.TraceAnalytics.TradeAnalysis;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The trade analyses on a real DuckDB store holding synthetic strategy traces (<see cref="StrategyTraces"/>) with a known
/// relation: the service must recover it, match a MathNet reference on the same points, and ignore what is not an order with a fill and a slippage.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TradeAnalysisStoreTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeWindow Window = new(Start, Start.AddHours(1));

    private readonly TradeAnalysisDatabase db = new();

    public void Dispose() => db.Dispose();

    /// <summary>Signals on two venues with slippage = a + b·(signal-to-fill ms) + noise; returns each venue's (latency, slippage) points.</summary>
    private async Task<Dictionary<string, List<(double Ms, double Bps)>>> AppendSignalsAsync(int count, int seed = 3)
    {
        var random = new Random(seed);
        var relation = new Dictionary<string, (double A, double B)> { ["binance"] = (1, 0.05), ["kraken"] = (-2, 0.2) };
        var points = relation.Keys.ToDictionary(v => v, _ => new List<(double, double)>());
        var spans = new List<SpanRecord>();
        for (var i = 0; i < count; i++)
        {
            var venue = i % 2 == 0 ? "binance" : "kraken";
            var lead = 30 * random.NextDouble();
            var venueMs = Math.Round(5 + 100 * random.NextDouble(), 3);
            var probe = StrategyTraces.Signal(i, Start.AddSeconds(i), lead, venue, venueMs, 0);
            var latency = lead + StrategyTraces.FillEndMs(probe);
            var bps = relation[venue].A + relation[venue].B * latency + Normal.Sample(random, 0, 0.5);
            points[venue].Add((latency, bps));
            spans.AddRange(StrategyTraces.Signal(i, Start.AddSeconds(i), lead, venue, venueMs, bps));
        }

        await db.Store.AppendAsync(spans);
        return points;
    }

    [Fact]
    public async Task Latency_slippage_recovers_the_known_slope_and_matches_the_reference_per_venue()
    {
        var points = await AppendSignalsAsync(120);

        var response = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Signal, 500));

        Assert.Equal(["binance", "kraken"], response.Venues.Select(v => v.Venue));
        foreach (var (venue, trueSlope) in new[] { ("binance", 0.05), ("kraken", 0.2) })
        {
            var result = response.Venues.Single(v => v.Venue == venue);
            var x = points[venue].Select(p => p.Ms).ToArray();
            var y = points[venue].Select(p => p.Bps).ToArray();
            var (intercept, slope) = Fit.Line(x, y);
            Assert.Equal(60, result.N);
            Assert.Equal(60, result.FromSignal);
            Assert.Equal(Correlation.Pearson(x, y), result.R!.Value, 6);
            Assert.Equal(slope, result.SlopeBpsPerMs!.Value, 6);
            Assert.Equal(intercept, result.InterceptBps!.Value, 4);
            // The true slope within twice the 95 % half-width (about 4 standard errors): recovered, whatever this seed's noise.
            var halfWidth = result.SlopeHigh!.Value - result.SlopeBpsPerMs!.Value;
            Assert.InRange(trueSlope, result.SlopeBpsPerMs!.Value - 2 * halfWidth, result.SlopeBpsPerMs!.Value + 2 * halfWidth);
            Assert.InRange(halfWidth, 1e-4, trueSlope / 5);
            Assert.True(result.PValue < 1e-6, $"p {result.PValue}");
            Assert.Equal(60, result.Points.Count);
            Assert.Equal(x.Order().ToArray(), result.Points.Select(p => p.LatencyMs).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public async Task Order_basis_measures_from_the_order_and_sampled_points_are_capped_and_stable()
    {
        var points = await AppendSignalsAsync(40);

        var bySignal = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Signal, 7));
        var byOrder = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Order, 7));
        var again = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Order, 7));

        var signalVenue = bySignal.Venues.Single(v => v.Venue == "binance");
        var orderVenue = byOrder.Venues.Single(v => v.Venue == "binance");
        Assert.Equal(20, orderVenue.N);
        Assert.Equal(0, orderVenue.FromSignal);
        Assert.Equal(7, orderVenue.Points.Count);
        Assert.Equal(orderVenue.Points, again.Venues.Single(v => v.Venue == "binance").Points);
        // The signal leads its order by 0–30 ms: signal-to-fill is longer on average by about that lead.
        Assert.InRange(signalVenue.MeanLatencyMs - orderVenue.MeanLatencyMs, 5, 25);
        Assert.Equal(points["binance"].Average(p => p.Ms), signalVenue.MeanLatencyMs, 4);
        Assert.Equal("order", byOrder.Basis);
    }

    [Fact]
    public async Task Traces_without_an_order_a_fill_or_a_slippage_are_ignored()
    {
        var spans = new List<SpanRecord>();
        spans.AddRange(StrategyTraces.OrderWithSlippage(0, Start, "binance", 20, 3.5)); // counts, measured from the order
        spans.AddRange(SampleTraces.Order(1, Start.AddSeconds(1), "binance", 20)); // no slippage
        spans.AddRange(StrategyTraces.OrderWithSlippage(2, Start.AddSeconds(2), "binance", 20, 4).Where(s => s.SpanName != "venue.match")); // no fill
        spans.Add(SampleTraces.Foreign(SampleTraces.TraceId(3), SampleTraces.SpanId(3, 0), Start.AddSeconds(3), "marketdata", "marketdata.session"));
        spans.AddRange(StrategyTraces.OrderWithSlippage(4, Start.AddHours(2), "binance", 20, 4)); // outside the window
        await db.Store.AppendAsync(spans);

        var response = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Signal, 500));

        var venue = Assert.Single(response.Venues);
        Assert.Equal(1, venue.N);
        Assert.Equal(0, venue.FromSignal);
        Assert.Null(venue.SlopeBpsPerMs);
        var point = Assert.Single(venue.Points);
        Assert.Equal("ord-0", point.OrderId);
        Assert.Equal(3.5, point.SlippageBps);
        Assert.Equal(StrategyTraces.FillEndMs(StrategyTraces.OrderWithSlippage(0, Start, "binance", 20, 3.5)), point.LatencyMs, 4);
    }

    [Fact]
    public async Task Each_arbitrage_legs_order_is_measured_from_its_own_leg_span()
    {
        // Two orders in one trace: each belongs to the leg above it, whatever the other leg does.
        var spans = StrategyTraces.Arbitrage(7, Start, new("binance", 12, SlippageBps: 1.5), new("kraken", 40, SlippageBps: 4), StrategySpans.Outcomes.BothFilled, 9, 6);
        await db.Store.AppendAsync(spans);

        var response = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Signal, 500));

        Assert.Equal(["binance", "kraken"], response.Venues.Select(v => v.Venue));
        foreach (var (venue, orderId, bps) in new[] { ("binance", "ord-71", 1.5), ("kraken", "ord-72", 4.0) })
        {
            var result = response.Venues.Single(v => v.Venue == venue);
            Assert.Equal(1, result.FromSignal);
            var point = Assert.Single(result.Points);
            var leg = spans.Single(s => s.SpanName == StrategySpans.ArbitrageLeg && s.SpanAttributes[TradingAspire.ServiceDefaults.TradingAttributes.Venue] == venue);
            var fill = spans.Where(s => s.SpanName == "venue.match" && s.OrderId == orderId).Max(s => s.Timestamp.AddTicks(s.DurationNanos / 100));
            Assert.Equal(orderId, point.OrderId);
            Assert.Equal(bps, point.SlippageBps);
            Assert.Equal((fill - leg.Timestamp).TotalMilliseconds, point.LatencyMs, 4);
        }
    }

    [Fact]
    public async Task Empty_window_gives_no_venues_and_no_arbitrages()
    {
        var slippage = await db.Analysis.GetLatencySlippageAsync(new LatencySlippageQuery(Window, LatencyBasis.Signal, 500));
        var arbitrage = await db.Analysis.GetArbitrageAsync(Window);

        Assert.Empty(slippage.Venues);
        Assert.Equal(0, arbitrage.Total);
        Assert.Null(arbitrage.SuccessRate);
        Assert.Empty(arbitrage.Buckets);
        Assert.Empty(arbitrage.Stages);
    }

    [Fact]
    public async Task Arbitrage_counts_outcomes_buckets_success_and_ranks_the_stage_that_explains_lost_edge()
    {
        var random = new Random(11);
        var spans = new List<SpanRecord>();
        var arbitrages = new List<(string Outcome, double ToFillMs, double SlowerMatchMs, double SlowerRiskMs, double Expected, double Realised)>();
        for (var i = 0; i < 80; i++)
        {
            var buy = new StrategyTraces.Leg("binance", Math.Round(5 + 60 * random.NextDouble(), 3), Math.Round(0.5 + random.NextDouble(), 3));
            var sell = new StrategyTraces.Leg("kraken", Math.Round(5 + 60 * random.NextDouble(), 3), Math.Round(0.5 + random.NextDouble(), 3));
            var slower = Math.Max(buy.VenueMatchMs, sell.VenueMatchMs);
            var toFill = slower + 10;
            var expected = 8 + random.NextDouble();
            var realised = expected - 0.1 * slower - Normal.Sample(random, 0, 0.3);
            var outcome = toFill < 50 ? StrategySpans.Outcomes.BothFilled : i % 2 == 0 ? StrategySpans.Outcomes.OneLegFailed : StrategySpans.Outcomes.BothFilled;
            arbitrages.Add((outcome, toFill, slower, Math.Max(buy.RiskCheckMs, sell.RiskCheckMs), expected, realised));
            spans.AddRange(StrategyTraces.Arbitrage(i, Start.AddSeconds(i), buy, sell, outcome, expected, realised, toFill));
        }

        spans.AddRange(StrategyTraces.OrderWithSlippage(900, Start, "binance", 20, 1)); // an order, not an arbitrage
        await db.Store.AppendAsync(spans);

        var response = await db.Analysis.GetArbitrageAsync(Window);

        Assert.Equal(80, response.Total);
        Assert.Equal(arbitrages.Count(a => a.Outcome == StrategySpans.Outcomes.BothFilled) / 80.0, response.SuccessRate!.Value, 9);
        Assert.Equal(arbitrages.GroupBy(a => a.Outcome).Select(g => (g.Key, (long)g.Count())).OrderBy(o => o.Key),
            response.Outcomes.Select(o => (o.Outcome, o.Count)).OrderBy(o => o.Outcome));
        Assert.Equal(arbitrages.Average(a => a.Expected), response.Edge.MeanExpectedBps!.Value, 6);
        Assert.Equal(arbitrages.Average(a => a.Realised), response.Edge.MeanRealisedBps!.Value, 6);

        foreach (var bucket in response.Buckets)
        {
            var inside = arbitrages.Where(a => a.ToFillMs >= bucket.FromMs && (bucket.ToMs is null || a.ToFillMs < bucket.ToMs)).ToList();
            Assert.Equal(inside.Count, bucket.Count);
            Assert.Equal(inside.Count(a => a.Outcome == StrategySpans.Outcomes.BothFilled), bucket.BothFilled);
        }

        Assert.Equal(80, response.Buckets.Sum(b => b.Count));
        Assert.Equal(1.0, response.Buckets.First().SuccessRate);

        var lost = arbitrages.Select(a => a.Expected - a.Realised).ToArray();
        var match = response.Stages.Single(s => s.Stage == "venue.match");
        Assert.Equal(80, match.N);
        Assert.Equal(Correlation.Pearson(arbitrages.Select(a => a.SlowerMatchMs).ToArray(), lost), match.R!.Value, 6);
        Assert.InRange(0.1, match.SlopeLow!.Value, match.SlopeHigh!.Value);
        var risk = response.Stages.Single(s => s.Stage == "risk.check");
        Assert.Equal(Correlation.Pearson(arbitrages.Select(a => a.SlowerRiskMs).ToArray(), lost), risk.R!.Value, 6);
        // Each stage counts its own time: order.execute and process orders.approved (which hold venue.match) do not repeat it.
        Assert.Equal("venue.match", response.Stages[0].Stage);
        Assert.All(new[] { "order.execute", "process orders.approved" }, stage =>
            Assert.True((response.Stages.Single(s => s.Stage == stage).RSquared ?? 0) < 0.5, $"{stage} repeats venue.match's time"));
        Assert.True(response.Stages.ToList().IndexOf(match) < response.Stages.ToList().IndexOf(risk), "venue.match explains lost edge better than risk.check");
        Assert.True(match.RSquared > 0.9, $"r² {match.RSquared}");
        Assert.Equal(response.Stages.OrderByDescending(s => s.RSquared ?? -1).Select(s => s.RSquared), response.Stages.Select(s => s.RSquared));
    }
}
