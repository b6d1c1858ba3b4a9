namespace TradingAspire.Execution;

/// <summary>Routing and venue-call settings (section <c>Execution</c>).</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Execution";

    /// <summary>Base address of the exchanges service (resolved by service discovery).</summary>
    public string ExchangesUrl { get; set; } = "http://exchanges";

    /// <summary>Cost, in basis points, of each millisecond of expected venue latency when ranking venues.</summary>
    public double LatencyPenaltyBpsPerMs { get; set; } = 0.03;

    /// <summary>Most child orders (legs) per order before the remainder is given up.</summary>
    public int MaxLegs { get; set; } = 3;

    /// <summary>
    /// The oldest venue quote routing may use (since the venue sent it); older or stale quotes leave their venue
    /// out, and an order that only such venues could take waits for fresh prices while its time in force lasts.
    /// </summary>
    public TimeSpan MaxQuoteAge { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Timeout of one attempt to send a child order.</summary>
    public TimeSpan VenueAttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a child order at one venue (same ClientOrderId) before giving that venue up.</summary>
    public int VenueRetries { get; set; } = 2;

    /// <summary>How long a venue's open circuit keeps it out of routing before a probe is let through.</summary>
    public TimeSpan VenueBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Half-life of a venue's observed latency: older observations fade toward <see cref="UnknownVenueLatencyMs"/>.</summary>
    public TimeSpan LatencyMemory { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Latency assumed for a venue never called yet (ms).</summary>
    public double UnknownVenueLatencyMs { get; set; } = 30;
}
