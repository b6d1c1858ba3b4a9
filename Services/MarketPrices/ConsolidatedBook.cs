namespace TradingAspire.MarketPrices;

/// <summary>
/// The consolidated top of book as this process knows it, kept current by <see cref="BookFollower"/> from
/// what the marketdata service publishes. Readers take <see cref="Current"/> (no I/O, no lock).
/// </summary>
public sealed class ConsolidatedBook
{
    private readonly Lock gate = new();
    private volatile BookSnapshot current = BookSnapshot.Empty;

    public BookSnapshot Current => current;

    /// <summary>When the last update arrived (null before the first).</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    public void Apply(IEnumerable<BookQuote> updates)
    {
        lock (gate)
        {
            current = current.With(updates);
            UpdatedAt = DateTimeOffset.UtcNow;
        }
    }
}
