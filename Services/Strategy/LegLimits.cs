using TradingAspire.Contracts;

namespace TradingAspire.Strategy;

/// <summary>
/// The limit price of an arbitrage leg: the quoted touch moved by a tolerance against the strategy (a buy may pay a
/// little more, a sell take a little less), on the instrument's tick — rounded away from the touch so the limit never
/// ends up tighter than the quote. Pure: unit-tested directly.
/// </summary>
public static class LegLimits
{
    public static decimal Buy(decimal ask, double toleranceBps, string symbol) =>
        OnTick(ask * (1 + (decimal)toleranceBps / 10_000m), symbol, MidpointRounding.ToPositiveInfinity);

    public static decimal Sell(decimal bid, double toleranceBps, string symbol) =>
        OnTick(bid * (1 - (decimal)toleranceBps / 10_000m), symbol, MidpointRounding.ToNegativeInfinity);

    private static decimal OnTick(decimal price, string symbol, MidpointRounding direction) =>
        InstrumentCatalog.TryGet(symbol, out var instrument) && instrument.TickSize > 0
            ? Math.Round(price / instrument.TickSize, 0, direction) * instrument.TickSize
            : price;
}
