namespace TradingAspire.ServiceDefaults;

/// <summary>Why an order's trace is sampled whatever the ratio (the value of <c>trading.sampling.rule</c>).</summary>
public enum SamplingRule
{
    None,
    Client,
    Symbol,
    Notional,
}

public static class SamplingRuleNames
{
    /// <summary>The attribute value: <c>client</c>, <c>symbol</c> or <c>notional</c> (no allocation).</summary>
    public static string? TagValue(this SamplingRule rule) => rule switch
    {
        SamplingRule.Client => "client",
        SamplingRule.Symbol => "symbol",
        SamplingRule.Notional => "notional",
        _ => null,
    };
}
