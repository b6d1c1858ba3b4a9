using System.Globalization;
using System.Text;
using TradingAspire.Contracts;

namespace TradingAspire.Load;

/// <summary>One order ready to post: its client, its headers' values and its JSON body (made once, reused).</summary>
public sealed record LoadOrder(string ClientId, string ApiKey, byte[] Body);

/// <summary>
/// The orders the tool sends, made up front so that sending costs no formatting: MARKET orders worth about
/// $500 over <c>clients</c> client ids and every listed symbol. Each client alternates BUY and SELL of one symbol,
/// so positions stay flat and risk limits do not turn the run into rejections.
/// </summary>
public sealed class LoadOrders
{
    private const decimal NotionalUsd = 500m;
    private readonly LoadOrder[] orders;
    private readonly int clients;

    public LoadOrders(int clients, Func<string, string> apiKey)
    {
        this.clients = clients;
        var instruments = InstrumentCatalog.All;
        ClientIds = Enumerable.Range(0, clients).Select(i => $"load-{i:D3}").ToArray();
        orders = new LoadOrder[clients * instruments.Count * 2];
        var n = 0;
        foreach (var instrument in instruments)
        {
            var quantity = Quantity(instrument);
            foreach (var side in new[] { "BUY", "SELL" })
            {
                foreach (var client in ClientIds)
                {
                    var json = $$"""{"clientId":"{{client}}","symbol":"{{instrument.Symbol}}","side":"{{side}}","type":"MARKET","quantity":{{quantity.ToString(CultureInfo.InvariantCulture)}}}""";
                    orders[n++] = new LoadOrder(client, apiKey(client), Encoding.UTF8.GetBytes(json));
                }
            }
        }
    }

    public IReadOnlyList<string> ClientIds { get; }

    /// <summary>Order <paramref name="index"/> of the run: client round robin, side alternating per client, then the next symbol.</summary>
    public LoadOrder this[long index] => orders[index % orders.Length];

    public int Clients => clients;

    private static decimal Quantity(Instrument instrument)
    {
        var quantity = Math.Round(NotionalUsd / instrument.OpeningPrice, instrument.OpeningPrice >= 100 ? 4 : 0, MidpointRounding.AwayFromZero);
        return quantity > 0 ? quantity : instrument.OpeningPrice >= 100 ? 0.001m : 1m;
    }
}
