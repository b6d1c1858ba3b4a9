namespace TradingAspire.Contracts;

/// <summary>An instrument the desk trades, with the price the simulated market opens at.</summary>
public sealed record Instrument(string Symbol, decimal OpeningPrice, decimal TickSize);

/// <summary>The instruments the gateway accepts and the exchanges list.</summary>
public static class InstrumentCatalog
{
    public static readonly IReadOnlyList<Instrument> All =
    [
        new("BTC-USD", 65000m, 0.01m),
        new("ETH-USD", 3200m, 0.01m),
        new("SOL-USD", 150m, 0.001m),
        new("XRP-USD", 0.60m, 0.0001m),
        new("ADA-USD", 0.45m, 0.0001m),
        new("DOGE-USD", 0.15m, 0.00001m),
    ];

    private static readonly Dictionary<string, Instrument> BySymbol =
        All.ToDictionary(i => i.Symbol, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string? symbol, out Instrument instrument)
    {
        instrument = null!;
        return symbol is not null && BySymbol.TryGetValue(symbol, out instrument!);
    }
}
