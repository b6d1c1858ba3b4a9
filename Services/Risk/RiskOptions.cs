namespace TradingAspire.Risk;

/// <summary>Per-client limits (section <c>Risk</c>): a default and overrides by client id.</summary>
public sealed class RiskOptions
{
    public const string Section = "Risk";

    /// <summary>A LIMIT price further than this from the market price (consolidated mid) is rejected.</summary>
    public decimal PriceCollarPercent { get; set; } = 5m;

    /// <summary>
    /// The oldest market price the collar and valuation may use (since the venue sent it). Older or stale quotes
    /// are left out; with none left the order is rejected <c>no_reference_price</c>.
    /// </summary>
    public TimeSpan MaxPriceAge { get; set; } = TimeSpan.FromSeconds(3);

    public RiskLimits Default { get; set; } = new();

    public Dictionary<string, RiskLimits> Clients { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public RiskLimits For(string clientId) => Clients.TryGetValue(clientId, out var limits) ? limits : Default;
}

public sealed class RiskLimits
{
    /// <summary>Largest value (quantity × price, USD) of one order.</summary>
    public decimal MaxOrderNotional { get; set; } = 250_000m;

    /// <summary>Largest absolute net position value per symbol (USD) after the order.</summary>
    public decimal MaxPositionNotional { get; set; } = 1_000_000m;
}
