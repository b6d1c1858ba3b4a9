namespace TradingAspire.Contracts;

/// <summary>
/// Span names of the strategy service (issue 11), defined once for the service that makes them and the trace store
/// that analyses them. A signal's or an arbitrage's orders are children of these spans: one trace from tick to fill.
/// </summary>
public static class StrategySpans
{
    /// <summary>Root of a directional strategy's decision: the quote that triggered it, the order(s) it sent as children.</summary>
    public const string Signal = "strategy.signal";

    /// <summary>Root of one cross-venue arbitrage opportunity; its legs (and any unwind) are concurrent children.</summary>
    public const string Arbitrage = "arbitrage";

    /// <summary>One leg of an arbitrage (buy on the cheaper venue, sell on the dearer one): parent of that leg's order.</summary>
    public const string ArbitrageLeg = "arbitrage.leg";

    /// <summary>The order that flattens the exposure a failed or partly filled leg left.</summary>
    public const string ArbitrageUnwind = "arbitrage.unwind";

    /// <summary>
    /// <c>trading.link.reason</c> of a signal's or arbitrage's link to the marketdata span that carried a quote it acted on
    /// (the sampled <c>marketdata.message</c>, else the feed's <c>marketdata.session</c>).
    /// </summary>
    public const string TriggeringQuoteLink = "triggering_quote";

    /// <summary>Values of <c>trading.arbitrage.outcome</c>.</summary>
    public static class Outcomes
    {
        public const string BothFilled = "both_filled";
        public const string OneLegFailed = "one_leg_failed";
        public const string PartlyFilled = "partly_filled";
        public const string BothFailed = "both_failed";
    }

    /// <summary>Values of <c>trading.arbitrage.leg</c>.</summary>
    public static class Legs
    {
        public const string Buy = "buy";
        public const string Sell = "sell";
        public const string Unwind = "unwind";
    }
}
