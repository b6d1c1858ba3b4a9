namespace TradingAspire.OrderFlow;

/// <summary>The built-in order-flow generator (section <c>OrderFlow</c>).</summary>
public sealed class OrderFlowOptions
{
    public const string Section = "OrderFlow";

    public bool Enabled { get; set; } = true;

    /// <summary>Average orders per second (Poisson arrivals).</summary>
    public double OrdersPerSecond { get; set; } = 3;

    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>Share of orders deliberately invalid (the gateway answers 400).</summary>
    public double InvalidShare { get; set; } = 0.04;

    /// <summary>Share of orders sized over their client's limits (risk rejects them).</summary>
    public double OverLimitShare { get; set; } = 0.04;

    /// <summary>Share of LIMIT orders (the rest are MARKET).</summary>
    public double LimitShare { get; set; } = 0.3;

    public List<string> Clients { get; set; } = ["desk-alpha", "desk-beta", "hedge-1", "quant-3", "mm-2", "retail-7"];
}
