namespace TradingAspire.TraceAnalytics.Retention;

/// <summary>
/// Decides what the retention job deletes: everything older than the age limit, then, when the store
/// is still over its size limit, the oldest share of what is left that brings it down to
/// <see cref="TargetFillRatio"/> of the limit (so that one pass makes room for a while, not for one batch).
/// </summary>
public sealed class RetentionPolicy(TimeSpan maxAge, long maxBytes)
{
    public const double TargetFillRatio = 0.9;

    public TimeSpan MaxAge { get; } = maxAge;
    public long MaxBytes { get; } = maxBytes;

    /// <summary>Spans that started before this are too old.</summary>
    public DateTime AgeCutoff(DateTime now) => MaxAge <= TimeSpan.Zero ? DateTime.MinValue : now - MaxAge;

    /// <summary>
    /// The fraction (0..1) of the stored spans, oldest first, to delete so that <paramref name="usedBytes"/>
    /// falls to <see cref="TargetFillRatio"/> of the limit; 0 when within the limit.
    /// Assumes bytes are proportional to spans, which holds closely for one pipeline's spans.
    /// </summary>
    public double FractionToDelete(long usedBytes)
    {
        if (MaxBytes <= 0 || usedBytes <= MaxBytes)
        {
            return 0;
        }

        var target = MaxBytes * TargetFillRatio;
        return Math.Clamp(1 - target / usedBytes, 0, 1);
    }

    public static RetentionPolicy From(Storage.TraceStoreOptions options) => new(
        options.RetentionHours > 0 ? TimeSpan.FromHours(options.RetentionHours) : TimeSpan.Zero,
        options.MaxSizeMb > 0 ? (long)(options.MaxSizeMb * 1024 * 1024) : 0);
}
