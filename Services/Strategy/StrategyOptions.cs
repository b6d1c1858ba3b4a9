namespace TradingAspire.Strategy;

/// <summary>The built-in strategies (section <c>Strategy</c>): on by default at a modest rate.</summary>
public sealed class StrategyOptions
{
    public const string Section = "Strategy";

    public bool Enabled { get; set; } = true;

    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>How an order the gateway answers 429/503 (or does not answer) is sent again.</summary>
    public GatewayRetryOptions GatewayRetry { get; set; } = new();

    /// <summary>How often the book is read for opportunities and signals.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The oldest quote (since the venue sent it) a decision may use.</summary>
    public TimeSpan MaxQuoteAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Taker fee per venue, bp (e.g. <c>Strategy:Fees:binance=1</c>); venues not listed pay <see cref="DefaultFeeBps"/>.</summary>
    public Dictionary<string, double> Fees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public double DefaultFeeBps { get; set; } = 0.5;

    /// <summary>How long the final state of an order is awaited before it counts as failed.</summary>
    public TimeSpan FinalStateTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public ArbitrageOptions Arbitrage { get; set; } = new();

    public ImbalanceOptions Imbalance { get; set; } = new();

    public double FeeBps(string venue) => Fees.TryGetValue(venue, out var fee) ? fee : DefaultFeeBps;
}

/// <summary>
/// The retry of order submission (section <c>Strategy:GatewayRetry</c>); the defaults are the standard resilience
/// handler's. A Retry-After from the gateway sets the delay itself.
/// </summary>
public sealed class GatewayRetryOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff (with jitter) when the answer carries no Retry-After.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The cross-venue arbitrage detector (section <c>Strategy:Arbitrage</c>).</summary>
public sealed class ArbitrageOptions
{
    public bool Enabled { get; set; } = true;

    public string ClientId { get; set; } = "strategy-arb";

    /// <summary>Net edge (after both venues' fees) an opportunity must beat, bp.</summary>
    public double ThresholdBps { get; set; } = 0.5;

    /// <summary>Value of each leg in quote currency (capped by the quoted sizes).</summary>
    public decimal Notional { get; set; } = 2_000m;

    /// <summary>
    /// How far past the quoted touch each leg's limit may fill (bp): the price moves between the quote and the venue.
    /// Unset: half the expected edge after fees, so that both legs using all of it still break even.
    /// </summary>
    public double? LimitToleranceBps { get; set; }

    /// <summary>Time in force of each leg's limit order.</summary>
    public int TimeInForceSeconds { get; set; } = 2;

    /// <summary>At most one opportunity is taken per cooldown (a few traces a minute by default).</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>The directional order-book imbalance strategy (section <c>Strategy:Imbalance</c>).</summary>
public sealed class ImbalanceOptions
{
    public bool Enabled { get; set; } = true;

    public string ClientId { get; set; } = "strategy-imbalance";

    /// <summary>|bidSize − askSize| / (bidSize + askSize) at or above which the quote signals a side.</summary>
    public double Threshold { get; set; } = 0.6;

    public decimal Notional { get; set; } = 1_000m;

    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(20);
}
