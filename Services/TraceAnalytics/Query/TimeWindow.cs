namespace TradingAspire.TraceAnalytics.Query;

/// <summary>A time window [From, To), UTC.</summary>
public sealed record TimeWindow(DateTime From, DateTime To)
{
    public TimeSpan Length => To - From;

    /// <summary>The window of the same length just before this one.</summary>
    public TimeWindow Previous() => new(From - Length, From);
}
