using MathNet.Numerics.Distributions;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges;

/// <summary>
/// The simulated market: a geometric random walk of each symbol's mid price, and per venue a
/// mean-reverting offset from it (so venues quote different prices and routing by price matters).
/// Thread-safe; advanced by <see cref="MarketSimulator"/>. An injected <see cref="VenueFault.PriceOffsetBps"/>
/// moves every price of its venue (quotes, feed, fills) from here, the one place they are made.
/// </summary>
public sealed class PriceWalk
{
    private readonly object gate = new();
    private readonly Dictionary<string, double> mids;
    private readonly Dictionary<(string Venue, string Symbol), double> venueOffsetsBps = new();
    private readonly Random random;
    private readonly VenueFaults? faults;

    public PriceWalk(int? seed = null, VenueFaults? faults = null)
    {
        random = seed is { } s ? new Random(s) : new Random();
        this.faults = faults;
        mids = InstrumentCatalog.All.ToDictionary(i => i.Symbol, i => (double)i.OpeningPrice, StringComparer.OrdinalIgnoreCase);
    }

    public void Advance(TimeSpan dt, double volatilityBpsPerSqrtSecond, IReadOnlyDictionary<string, VenueOptions> venues)
    {
        var scale = volatilityBpsPerSqrtSecond / 10_000 * Math.Sqrt(Math.Max(dt.TotalSeconds, 0));
        lock (gate)
        {
            foreach (var symbol in mids.Keys.ToList())
            {
                mids[symbol] *= Math.Exp(scale * Normal.Sample(random, 0, 1) - scale * scale / 2);
            }

            foreach (var (venue, options) in venues)
            {
                foreach (var symbol in options.Symbols)
                {
                    var key = (venue, symbol);
                    var offset = venueOffsetsBps.GetValueOrDefault(key);
                    // Ornstein-Uhlenbeck step toward 0 with stationary spread ≈ PriceDispersionBps.
                    offset += -0.2 * offset + options.PriceDispersionBps * 0.6 * Normal.Sample(random, 0, 1);
                    venueOffsetsBps[key] = offset;
                }
            }
        }
    }

    public decimal Mid(string symbol)
    {
        lock (gate)
        {
            return (decimal)mids[symbol];
        }
    }

    public IReadOnlyDictionary<string, decimal> Mids()
    {
        lock (gate)
        {
            return mids.ToDictionary(m => m.Key, m => Round(m.Key, (decimal)m.Value));
        }
    }

    public VenueQuote Quote(string venue, string symbol, VenueOptions options)
    {
        double mid, offset;
        lock (gate)
        {
            mid = mids[symbol];
            offset = venueOffsetsBps.GetValueOrDefault((venue, symbol));
        }

        offset += faults?.For(venue).PriceOffsetBps ?? 0;
        var venueMid = mid * (1 + offset / 10_000);
        var half = venueMid * options.SpreadBps / 20_000;
        return new VenueQuote(Round(symbol, (decimal)(venueMid - half)), Round(symbol, (decimal)(venueMid + half)));
    }

    private static decimal Round(string symbol, decimal price) =>
        InstrumentCatalog.TryGet(symbol, out var instrument)
            ? Math.Round(price / instrument.TickSize, MidpointRounding.AwayFromZero) * instrument.TickSize
            : price;
}
