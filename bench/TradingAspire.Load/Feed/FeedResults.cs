namespace TradingAspire.Load.Feed;

/// <summary>One measured window: marketdata's counters and both services' CPU at its start and end.</summary>
public sealed record FeedWindow(FeedSample First, FeedSample Last)
{
    public double Seconds => Last.SecondsSince(First);

    public long Messages => Last.Messages - First.Messages;

    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>CPU time per wall second (1.0 = one core busy).</summary>
    public double MarketDataCores => (Last.MarketDataCpu - First.MarketDataCpu) / Seconds;

    public double ExchangesCores => (Last.ExchangesCpu - First.ExchangesCpu) / Seconds;

    /// <summary>marketdata's CPU time per message taken, in µs.</summary>
    public double MarketDataMicrosPerMessage => Messages == 0 ? double.NaN : (Last.MarketDataCpu - First.MarketDataCpu) * 1e6 / Messages;

    public long Disconnects => Last.Disconnects - First.Disconnects;

    public long Gaps => Last.Gaps - First.Gaps;
}

/// <summary>A saturation run: the venue offering more than marketdata takes, monitoring on or off.</summary>
public sealed record SaturationRun(int Round, bool Monitoring, int Offered, FeedWindow Window);

/// <summary>A latency run at a fixed offered rate, monitoring on: what arrived and its feed latency (ms).</summary>
public sealed record LatencyRun(int Offered, FeedWindow Window, long Count, double P50Ms, double P99Ms, double P999Ms, double MaxMs);
