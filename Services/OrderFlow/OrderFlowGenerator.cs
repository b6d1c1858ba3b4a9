using System.Collections.Concurrent;
using System.Net.Http.Json;
using MathNet.Numerics.Distributions;
using Microsoft.Extensions.Options;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.OrderFlow;

/// <summary>Counts of what the generator sent and what the gateway answered.</summary>
public sealed class OrderFlowStats
{
    public ConcurrentDictionary<string, long> Sent { get; } = new();
    public ConcurrentDictionary<string, long> Answers { get; } = new();

    public void Record(string kind, string answer)
    {
        Sent.AddOrUpdate(kind, 1, (_, n) => n + 1);
        Answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
    }
}

/// <summary>Posts generated orders to the gateway at Poisson-distributed intervals.</summary>
public sealed partial class OrderFlowGenerator(
    IHttpClientFactory httpFactory,
    ConsolidatedBook book,
    OrderFlowStats stats,
    OrderSubmission submission,
    IOptionsMonitor<OrderFlowOptions> options,
    IOptionsMonitor<ClientAuthOptions> auth,
    ILogger<OrderFlowGenerator> logger) : BackgroundService
{
    public const string HttpClientName = "gateway";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var random = new Random();
        IReadOnlyDictionary<string, decimal> prices = new Dictionary<string, decimal>();
        var pricesAt = DateTimeOffset.MinValue;
        var http = httpFactory.CreateClient(HttpClientName);

        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            if (!settings.Enabled || settings.OrdersPerSecond <= 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }

            if (DateTimeOffset.UtcNow - pricesAt > TimeSpan.FromSeconds(1))
            {
                // Limit orders are priced off the market as the feed delivered it; with no fresh quote yet, the previous prices.
                var snapshot = book.Current;
                var now = DateTimeOffset.UtcNow;
                var fresh = snapshot.All.Select(q => q.Symbol).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Select(symbol => (Symbol: symbol, Price: BookPricing.Reference(snapshot.For(symbol), now, TimeSpan.FromSeconds(10))))
                    .Where(p => p.Price is not null)
                    .ToDictionary(p => p.Symbol, p => p.Price!.Value.Price, StringComparer.OrdinalIgnoreCase);
                if (fresh.Count > 0)
                {
                    prices = fresh;
                }

                pricesAt = now;
            }

            var order = OrderMix.Next(settings, prices, random);
            _ = SendAsync(http, order, stoppingToken);

            var wait = Exponential.Sample(random, settings.OrdersPerSecond);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(wait, 10)), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task SendAsync(HttpClient http, GeneratedOrder order, CancellationToken cancellationToken)
    {
        using var submit = submission.Start(order);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(order.Body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            // The generator acts for many desks: it signs each order as its client, like that desk would.
            var clientId = order.Body["clientId"] as string ?? "";
            request.Headers.Add(ClientKeys.ClientIdHeader, clientId);
            if (auth.CurrentValue.Secret is { Length: > 0 } secret)
            {
                request.Headers.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(secret, clientId));
            }
            using var response = await http.SendAsync(request, cancellationToken);
            stats.Record(order.Kind, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            stats.Record(order.Kind, "error");
            submit?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            submit?.SetTag(SemanticAttributes.ErrorType, ex.GetType().FullName);
            if (!cancellationToken.IsCancellationRequested)
            {
                LogSendFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a generated order failed")]
    private partial void LogSendFailed(Exception ex);
}
