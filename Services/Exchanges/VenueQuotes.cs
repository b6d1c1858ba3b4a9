using TradingAspire.Contracts;

namespace TradingAspire.Exchanges;

/// <summary>Every configured venue with its listings and its current quote per listed symbol.</summary>
public static class VenueQuotes
{
    public static IReadOnlyList<VenueInfo> Snapshot(PriceWalk walk, ExchangeOptions options) =>
        options.Venues
            .Select(v => new VenueInfo(v.Key, v.Value.Symbols,
                v.Value.Symbols.Where(s => InstrumentCatalog.TryGet(s, out _))
                    .ToDictionary(s => s, s => walk.Quote(v.Key, s, v.Value))))
            .ToList();
}
