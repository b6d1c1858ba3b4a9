using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TradingAspire.Tests.Support;

/// <summary>
/// Sends orders at a steady rate from a few clients in the background, like a desk would during a
/// fault, and remembers which ones the gateway acknowledged (202) — the ones that must not be lost.
/// </summary>
public sealed class OrderDriver : IAsyncDisposable
{
    private readonly TradingAppFixture app;
    private readonly string[] clients;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public OrderDriver(TradingAppFixture app, string prefix, double perSecond, string symbol = "ETH-USD", int clientCount = 3)
    {
        this.app = app;
        clients = Enumerable.Range(0, clientCount).Select(i => $"{prefix}-{i}").ToArray();
        loop = RunAsync(perSecond, symbol);
    }

    public ConcurrentDictionary<string, string> Acknowledged { get; } = new(); // order id → client id

    /// <summary>Orders answered 504 (outcome unknown): each must turn out either never accepted or final.</summary>
    public ConcurrentDictionary<string, string> Unknown { get; } = new();

    public ConcurrentDictionary<string, int> Answers { get; } = new();
    public int Sent => Answers.Values.Sum();

    private int inFlight;

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    private async Task RunAsync(double perSecond, string symbol)
    {
        var https = clients.ToDictionary(c => c, c => app.ClientFor(ResourceNames.Gateway, c));
        var gap = TimeSpan.FromSeconds(1 / perSecond);
        var n = 0;
        var inFlight = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var client = clients[n++ % clients.Length];
            inFlight.Add(SendOneAsync(https[client], client, symbol));
            try
            {
                await Task.Delay(gap, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
        foreach (var http in https.Values)
        {
            http.Dispose();
        }
    }

    private async Task SendOneAsync(HttpClient http, string client, string symbol)
    {
        string answer;
        Interlocked.Increment(ref inFlight);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.PostAsJsonAsync("/orders",
                new { clientId = client, symbol, side = Random.Shared.Next(2) == 0 ? "BUY" : "SELL", type = "MARKET", quantity = 0.05m }, cts.Token);
            answer = ((int)response.StatusCode).ToString();
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                Acknowledged[body.GetProperty("orderId").GetString()!] = client;
            }
            else if (response.StatusCode == HttpStatusCode.GatewayTimeout)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                Unknown[problem.GetProperty("orderId").GetString()!] = client;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            answer = "connection-error";
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }

        Answers.AddOrUpdate(answer, 1, (_, count) => count + 1);
    }

    /// <summary>Stops sending and waits for requests in flight.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }
}
