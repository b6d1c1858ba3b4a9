using BenchmarkDotNet.Attributes;
using TradingAspire.Contracts;
using TradingAspire.Risk;

namespace TradingAspire.MicroBenchmarks;

/// <summary>
/// The risk check's decision in process (<see cref="RiskOptions.For"/> + <see cref="RiskEvaluator.Evaluate"/>): price
/// collar, order notional, position after the order. The position and price reads from Redis are the end-to-end
/// suite's business.
/// </summary>
[BenchmarkCategory("risk")]
public class RiskCheckBenchmarks
{
    private readonly RiskOptions options = new()
    {
        Clients = new(StringComparer.OrdinalIgnoreCase) { ["desk-alpha"] = new RiskLimits { MaxOrderNotional = 1_000_000m } },
    };

    private readonly NewOrder market = SampleOrders.Market();
    private readonly NewOrder limit = SampleOrders.Limit();
    private readonly NewOrder oversized = SampleOrders.Oversized();

    [Benchmark(Description = "risk check: market order approved")]
    public RiskDecision MarketApproved() => Check(market);

    [Benchmark(Description = "risk check: limit order approved (collar)")]
    public RiskDecision LimitApproved() => Check(limit);

    [Benchmark(Description = "risk check: over the notional limit, rejected")]
    public RiskDecision Rejected() => Check(oversized);

    private RiskDecision Check(NewOrder order) =>
        RiskEvaluator.Evaluate(order, options.For(order.ClientId), options.PriceCollarPercent, 100_000m, 0.25m);
}
