using MathNet.Numerics.Distributions;
using TradingAspire.Contracts;

namespace TradingAspire.OrderFlow;

/// <summary>
/// An order the generator sends: the JSON body, what it expects the gateway to make of it, and its
/// notional in quote currency when it has one (the sampling rules read it).
/// </summary>
public sealed record GeneratedOrder(Dictionary<string, object?> Body, string Kind, decimal? Notional = null);

/// <summary>
/// A realistic mix: clients and symbols weighted, log-normal sizes of a few thousand dollars,
/// mostly MARKET with aggressive or passive LIMITs, plus a share of invalid and over-limit orders
/// so the dashboard shows errors and rejections too.
/// </summary>
public static class OrderMix
{
    private static readonly (string Symbol, double Weight)[] Symbols =
        [("BTC-USD", 0.35), ("ETH-USD", 0.25), ("SOL-USD", 0.15), ("XRP-USD", 0.1), ("ADA-USD", 0.08), ("DOGE-USD", 0.07)];

    public static GeneratedOrder Next(OrderFlowOptions options, IReadOnlyDictionary<string, decimal> prices, Random random)
    {
        var client = options.Clients[random.Next(options.Clients.Count)];
        var symbol = Pick(random);
        var price = prices.TryGetValue(symbol, out var p) ? p : InstrumentCatalog.All.First(i => i.Symbol == symbol).OpeningPrice;
        var side = random.NextDouble() < 0.5 ? "BUY" : "SELL";
        var notional = LogNormal.Sample(random, Math.Log(4000), 0.9);
        var kind = "valid";

        var roll = random.NextDouble();
        if (roll < options.InvalidShare)
        {
            return Invalid(client, symbol, random);
        }

        if (roll < options.InvalidShare + options.OverLimitShare)
        {
            notional = 2_000_000 + random.NextDouble() * 3_000_000;
            kind = "over-limit";
        }

        var quantity = Math.Round((decimal)notional / price, price >= 100 ? 4 : 0, MidpointRounding.AwayFromZero);
        if (quantity <= 0)
        {
            quantity = price >= 100 ? 0.001m : 1m;
        }

        var body = new Dictionary<string, object?>
        {
            ["clientId"] = client,
            ["symbol"] = symbol,
            ["side"] = side,
            ["quantity"] = quantity,
        };

        if (random.NextDouble() < options.LimitShare)
        {
            // Mostly aggressive (crossing) limits; one in five passive, which venues cannot fill.
            var offsetBps = random.NextDouble() < 0.8 ? 5 + random.NextDouble() * 25 : -(5 + random.NextDouble() * 25);
            var sign = side == "BUY" ? 1 : -1;
            var tick = InstrumentCatalog.All.First(i => i.Symbol == symbol).TickSize;
            var limit = price * (1 + sign * (decimal)offsetBps / 10_000m);
            body["type"] = "LIMIT";
            body["limitPrice"] = Math.Round(limit / tick) * tick;
        }
        else
        {
            body["type"] = "MARKET";
        }

        return new GeneratedOrder(body, kind, quantity * (body.GetValueOrDefault("limitPrice") as decimal? ?? price));
    }

    private static GeneratedOrder Invalid(string client, string symbol, Random random)
    {
        var body = new Dictionary<string, object?>
        {
            ["clientId"] = client, ["symbol"] = symbol, ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = 1m,
        };
        switch (random.Next(4))
        {
            case 0: body["quantity"] = -5m; break;
            case 1: body["symbol"] = "LUNA-USD"; break;
            case 2: body.Remove("side"); break;
            default: body["type"] = "LIMIT"; break; // LIMIT without a limit price
        }

        return new GeneratedOrder(body, "invalid");
    }

    private static string Pick(Random random)
    {
        var x = random.NextDouble() * Symbols.Sum(s => s.Weight);
        foreach (var (symbol, weight) in Symbols)
        {
            if ((x -= weight) <= 0)
            {
                return symbol;
            }
        }

        return Symbols[^1].Symbol;
    }
}
