namespace TradingAspire.MarketData;

/// <summary>
/// Exponential backoff with jitter for a venue's reconnects: attempt n waits a random time in
/// [d/2, d] where d = min(MaxDelay, BaseDelay·2^(n−1)) ("equal jitter": never zero, never in lock step).
/// </summary>
public sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random random = random ?? Random.Shared;

    /// <summary>The ceiling of attempt <paramref name="attempt"/> (1-based), before jitter.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        if (attempt < 1)
        {
            attempt = 1;
        }

        var exponent = Math.Min(attempt - 1, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>How long to wait before attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var ceiling = Ceiling(attempt).Ticks;
        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + (long)(random.NextDouble() * (ceiling - half)));
    }
}
