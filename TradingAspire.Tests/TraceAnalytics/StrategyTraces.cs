using System.Globalization;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// Strategy traces shaped like the strategy service's: a <c>strategy.signal</c> or an <c>arbitrage</c> with two
/// <c>arbitrage.leg</c> children, each the parent of a whole order pipeline (<see cref="SampleTraces.Order"/>), and execution's
/// <c>trading.slippage_bps</c> on <c>process orders.approved</c>.
/// </summary>
internal static class StrategyTraces
{
    public const string SlippageSpan = "process orders.approved";

    /// <summary>A plain order (no strategy span above it) with a slippage.</summary>
    public static IReadOnlyList<SpanRecord> OrderWithSlippage(int n, DateTime start, string venue, double venueMatchMs, double slippageBps) =>
        SampleTraces.Order(n, start, venue, venueMatchMs).Select(s => WithSlippage(s, slippageBps)).ToList();

    /// <summary>A plain order with a slippage routed under <paramref name="policy"/> (<c>trading.route.policy</c> on the same span).</summary>
    public static IReadOnlyList<SpanRecord> RoutedOrder(int n, DateTime start, string venue, double venueMatchMs, double slippageBps, string policy) =>
        OrderWithSlippage(n, start, venue, venueMatchMs, slippageBps).Select(s => s.SpanName != SlippageSpan
            ? s
            : s with { SpanAttributes = new Dictionary<string, string>(s.SpanAttributes) { [TradingAttributes.RoutePolicy] = policy } }).ToList();

    /// <summary>A signal at <paramref name="start"/> whose order's trace root starts <paramref name="leadMs"/> later.</summary>
    public static IReadOnlyList<SpanRecord> Signal(int n, DateTime start, double leadMs, string venue, double venueMatchMs, double slippageBps)
    {
        var order = OrderWithSlippage(n, start.AddTicks(Ticks(leadMs)), venue, venueMatchMs, slippageBps);
        var traceId = order[0].TraceId;
        var signal = Span(traceId, SampleTraces.SpanId(n, 99), "", StrategySpans.Signal, start, leadMs + FillEndMs(order) + 1,
            new() { [TradingAttributes.Symbol] = "BTC-USD" });
        return [signal, .. order.Select(s => s.ParentSpanId == "" ? s with { ParentSpanId = signal.SpanId } : s)];
    }

    /// <summary>The order's fill: the end of its last venue.match, ms after its root's start.</summary>
    public static double FillEndMs(IReadOnlyList<SpanRecord> order)
    {
        var root = order.Where(s => s.SpanName != StrategySpans.Signal).Min(s => s.Timestamp);
        var match = order.Where(s => s.SpanName == "venue.match").Max(s => s.Timestamp.AddTicks(s.DurationNanos / 100));
        return (match - root).TotalMilliseconds;
    }

    /// <summary>One leg of an arbitrage: its venue, venue latency, how long risk took and (when given) its order's slippage.</summary>
    public sealed record Leg(string Venue, double VenueMatchMs, double RiskCheckMs = 0.7, double? SlippageBps = null);

    /// <summary>
    /// An arbitrage at <paramref name="start"/> (trace of <paramref name="n"/>) with a buy and a sell leg, each an order
    /// (numbers n·10+1 and n·10+2 for its spans); its outcome, edges and detection-to-last-fill latency as attributes.
    /// </summary>
    public static IReadOnlyList<SpanRecord> Arbitrage(
        int n, DateTime start, Leg buy, Leg sell, string outcome, double expectedEdgeBps, double realisedEdgeBps, double? toFillMs = null)
    {
        var traceId = SampleTraces.TraceId(n);
        var spans = new List<SpanRecord>();
        var arbitrageId = SampleTraces.SpanId(n, 90);
        double lastFill = 0;
        foreach (var (leg, index, side) in new[] { (buy, 1, StrategySpans.Legs.Buy), (sell, 2, StrategySpans.Legs.Sell) })
        {
            var order = SampleTraces.Order(n * 10 + index, start.AddTicks(Ticks(0.2)), leg.Venue, leg.VenueMatchMs, riskCheckMs: leg.RiskCheckMs)
                .Select(s => leg.SlippageBps is { } bps ? WithSlippage(s, bps) : s).ToList();
            var fill = 0.2 + FillEndMs(order);
            lastFill = Math.Max(lastFill, fill);
            var legSpan = Span(traceId, SampleTraces.SpanId(n, 90 + index), arbitrageId, StrategySpans.ArbitrageLeg, start.AddTicks(Ticks(0.1)), fill,
                new() { [TradingAttributes.ArbitrageLeg] = side, [TradingAttributes.Venue] = leg.Venue });
            spans.Add(legSpan);
            spans.AddRange(order.Select(s => s with
            {
                TraceId = traceId,
                ParentSpanId = s.ParentSpanId == "" ? legSpan.SpanId : s.ParentSpanId,
            }));
        }

        var attributes = new Dictionary<string, string>
        {
            [TradingAttributes.ArbitrageOutcome] = outcome,
            [TradingAttributes.ArbitrageExpectedEdgeBps] = Text(expectedEdgeBps),
            [TradingAttributes.ArbitrageRealisedEdgeBps] = Text(realisedEdgeBps),
        };
        if (toFillMs is { } ms)
        {
            attributes[TradingAttributes.SignalToFillMs] = Text(ms);
        }

        spans.Insert(0, Span(traceId, arbitrageId, "", StrategySpans.Arbitrage, start, lastFill + 0.5, attributes));
        return spans;
    }

    private static SpanRecord WithSlippage(SpanRecord span, double slippageBps) => span.SpanName != SlippageSpan
        ? span
        : span with { SpanAttributes = new Dictionary<string, string>(span.SpanAttributes) { [TradingAttributes.SlippageBps] = Text(slippageBps) } };

    private static SpanRecord Span(string traceId, string spanId, string parent, string name, DateTime start, double durationMs, Dictionary<string, string> attributes) => new()
    {
        Timestamp = start,
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parent,
        SpanName = name,
        SpanKind = SpanRecord.SpanKinds.Internal,
        ServiceName = "strategy",
        ResourceAttributes = new Dictionary<string, string> { ["service.name"] = "strategy" },
        ScopeName = "TradingAspire.Strategy",
        SpanAttributes = attributes,
        DurationNanos = (long)(durationMs * 1_000_000),
    };

    private static long Ticks(double ms) => (long)(ms * TimeSpan.TicksPerMillisecond);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
