using System.Collections.Concurrent;
using TradingAspire.MarketPrices;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>
/// What routing knows of the venues: their quotes as the market-data feed delivered them (the consolidated
/// book, followed from Redis) and each venue's recently observed latency.
/// </summary>
public sealed class VenueCatalog(TimeProvider time, Microsoft.Extensions.Options.IOptionsMonitor<ExecutionOptions> options, ConsolidatedBook book)
{
    private readonly ConcurrentDictionary<string, (double Ms, DateTimeOffset At)> latencyEwma = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether any quote has arrived yet.</summary>
    public bool HasQuotes => !book.Current.IsEmpty;

    /// <summary>When the book last changed.</summary>
    public DateTimeOffset? RefreshedAt => book.UpdatedAt;

    /// <summary>
    /// Every venue with the symbols it quotes, the age of its newest quote and whether routing may use any of its
    /// quotes now (<see cref="BookPricing.IsUsable"/>: its feed is up and fresh).
    /// </summary>
    public IEnumerable<(string Venue, IReadOnlyList<string> Symbols, double AgeMs, bool Quoting)> Venues
    {
        get
        {
            var now = time.GetUtcNow();
            var maxAge = options.CurrentValue.MaxQuoteAge;
            return book.Current.All.GroupBy(q => q.Venue, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(q => q.Symbol).Order(StringComparer.Ordinal).ToList(),
                    Math.Round(g.Min(q => q.AgeAt(now)).TotalMilliseconds, 1), g.Any(q => BookPricing.IsUsable(q, now, maxAge))));
        }
    }

    /// <summary>The quotes routing may use for <paramref name="symbol"/> now (older than <c>Execution:MaxQuoteAge</c> or stale ones left out).</summary>
    public RouteQuotes QuotesFor(string symbol) =>
        RouteQuotes.For(book.Current, symbol, time.GetUtcNow(), options.CurrentValue.MaxQuoteAge);

    /// <summary>Folds one observed round trip into the venue's moving average (α = 0.2).</summary>
    public void ObserveLatency(string venue, double milliseconds)
    {
        var now = time.GetUtcNow();
        latencyEwma.AddOrUpdate(venue, (milliseconds, now), (_, previous) => (LatencyAt(previous, now) * 0.8 + milliseconds * 0.2, now));
    }

    /// <summary>
    /// The venue's expected latency: its moving average, fading back toward the prior for an unknown
    /// venue as the observation ages (half-life <c>Execution:LatencyMemory</c>), so a venue that was
    /// slow once is tried again rather than starved forever.
    /// </summary>
    public double? LatencyMs(string venue) =>
        latencyEwma.TryGetValue(venue, out var observed) ? LatencyAt(observed, time.GetUtcNow()) : null;

    private double LatencyAt((double Ms, DateTimeOffset At) observed, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var halfLives = (now - observed.At).TotalSeconds / Math.Max(1, settings.LatencyMemory.TotalSeconds);
        return settings.UnknownVenueLatencyMs + (observed.Ms - settings.UnknownVenueLatencyMs) * Math.Pow(0.5, halfLives);
    }
}
