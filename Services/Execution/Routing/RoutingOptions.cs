namespace TradingAspire.Execution;

/// <summary>
/// How routing prices latency (section <c>Execution:Routing</c>). <see cref="Policy"/>: <c>static</c> charges every venue
/// <c>Execution:LatencyPenaltyBpsPerMs</c>; <c>trace</c> charges each venue what the trace store measured a millisecond to
/// cost there (its slope of slippage on latency, <see cref="LatencyCostModel"/>), falling back to the static price for a
/// venue with too few orders; <c>ab</c> splits orders between the two by a hash of the order id, for a side-by-side comparison
/// (<c>GET /api/analysis/routing</c> on the trace store).
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Execution:Routing";

    public string Policy { get; set; } = RoutingPolicies.Trace;

    /// <summary>Base address of the trace store (resolved by service discovery).</summary>
    public string TraceStoreUrl { get; set; } = "http://trace-analytics";

    /// <summary>The trace store's operator key (set from <c>TraceAnalytics:Api:OperatorKey</c>).</summary>
    public string? OperatorKey { get; set; }

    /// <summary>How often the per-venue latency costs are fetched again.</summary>
    public TimeSpan ModelRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The window of orders each fit covers (ending now).</summary>
    public TimeSpan ModelWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Fewest filled orders a venue needs in the window before its measured slope replaces the static price.</summary>
    public int MinSamples { get; set; } = 100;

    /// <summary>A model older than this (the trace store unreachable since) is not used: every venue gets the static price.</summary>
    public TimeSpan ModelMaxAge { get; set; } = TimeSpan.FromMinutes(5);
}
