using TradingAspire.Contracts;

namespace TradingAspire.Exchanges;

/// <summary>The simulated venues (section <c>Exchanges</c>), reloadable at run time.</summary>
public sealed class ExchangeOptions
{
    public const string Section = "Exchanges";

    /// <summary>Volatility of the mid price, in basis points per square-root second.</summary>
    public double VolatilityBpsPerSqrtSecond { get; set; } = 4;

    public Dictionary<string, VenueOptions> Venues { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How one venue behaves.</summary>
public sealed class VenueOptions
{
    public List<string> Symbols { get; set; } = [];

    /// <summary>Median response time (ms) of the log-normal latency distribution.</summary>
    public double LatencyMedianMs { get; set; } = 25;

    /// <summary>Log-normal shape (sigma of ln latency): 0.25 is tight, 0.6 is wide.</summary>
    public double LatencySigma { get; set; } = 0.3;

    /// <summary>Chance that a response is a slow outlier, and how many times slower it is.</summary>
    public double OutlierProbability { get; set; } = 0.02;
    public double OutlierMultiplier { get; set; } = 8;

    /// <summary>Chance the venue rejects a child order outright.</summary>
    public double RejectProbability { get; set; } = 0.01;

    /// <summary>Chance a fill covers only part of the quantity (30–90%).</summary>
    public double PartialFillProbability { get; set; } = 0.05;

    /// <summary>Full bid/ask spread in basis points.</summary>
    public double SpreadBps { get; set; } = 4;

    /// <summary>How far (bps) the venue's mid may drift from the consolidated mid.</summary>
    public double PriceDispersionBps { get; set; } = 2;

    /// <summary>The venue's feed fault from configuration (the admin endpoint overrides it).</summary>
    public VenueFeedFault Feed { get; set; } = new();
}
