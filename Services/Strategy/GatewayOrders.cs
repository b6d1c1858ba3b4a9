using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// The strategy as a client of the gateway: submits an order as one of its client ids (client id header and
/// derived API key, plus the service key so the gateway continues the caller's trace, as the order-flow generator
/// does) under the current span, then polls GET /orders/{id} outside any trace until the order is final.
/// The gateway answering 429/503 is retried with backoff by the client's resilience pipeline
/// (<see cref="GatewayClients"/>); each retry is an event on the current span.
/// </summary>
public sealed partial class GatewayOrders(
    IHttpClientFactory httpFactory,
    IOptionsMonitor<ClientAuthOptions> auth,
    IOptionsMonitor<StrategyOptions> options,
    ILogger<GatewayOrders> logger)
{
    public const string SubmitClient = "gateway";
    public const string PollClient = "gateway-poll";

    /// <summary>Sends the order under <paramref name="span"/> and waits for its final state; the state, fill quantity and price on the span (an error when not fully filled).</summary>
    public async Task<LegResult> ExecuteAsync(Activity? span, OrderTicket ticket, CancellationToken cancellationToken)
    {
        var (orderId, reason) = await SubmitAsync(ticket, cancellationToken);
        if (orderId is null)
        {
            return LegResult.NotAccepted(ticket.Side, ticket.Quantity, reason ?? "not_accepted");
        }

        var result = await WaitFinalAsync(ticket, orderId, cancellationToken);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TradingAttributes.OrderStatus, result.Status?.ToString() ?? result.Reason);
            span.SetTag(TradingAttributes.FillQuantity, result.FilledQuantity);
            if (result.AveragePrice is { } average)
            {
                span.SetTag(TradingAttributes.FillPrice, average);
            }
        }

        if (!result.FullyFilled)
        {
            span.RecordError(result.NothingFilled ? "leg_not_filled" : "leg_partly_filled",
                $"{result.FilledQuantity} of {ticket.Quantity} filled ({result.Status?.ToString() ?? result.Reason}: {result.Reason}).");
        }

        return result;
    }

    /// <summary>The gateway's order id, or null with the reason it did not accept the order (marked on the current span).</summary>
    public async Task<(string? OrderId, string? Reason)> SubmitAsync(OrderTicket ticket, CancellationToken cancellationToken)
    {
        var span = Activity.Current;
        var http = httpFactory.CreateClient(SubmitClient);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(ticket.Body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            Sign(request, ticket.ClientId);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                var orderId = json.GetProperty("orderId").GetString();
                span?.SetTag(TradingAttributes.OrderId, orderId);
                return (orderId, null);
            }

            var code = (int)response.StatusCode;
            var reason = code is 429 or 503 ? $"gateway_busy_{code}" : $"gateway_{code}";
            span.RecordError(reason, $"The gateway answered {code} (after backoff) to the order for {ticket.Symbol}.");
            span?.SetTag(SemanticAttributes.HttpResponseStatusCode, code);
            LogRefused(ticket.ClientId, ticket.Symbol, code);
            return (null, reason);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException
                                       or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            span.RecordError(ex.GetType().Name, $"The order for {ticket.Symbol} did not reach the gateway.", ex);
            LogSendFailed(ex, ticket.ClientId);
            return (null, "gateway_unreachable");
        }
    }

    /// <summary>Polls the order until it is final (or <c>Strategy:FinalStateTimeout</c> passes: status null).</summary>
    public async Task<LegResult> WaitFinalAsync(OrderTicket ticket, string orderId, CancellationToken cancellationToken)
    {
        // Polling is not part of the order's journey: no spans here, no trace context sent to the gateway.
        Activity.Current = null;
        using var quiet = SuppressInstrumentationScope.Begin();
        var http = httpFactory.CreateClient(PollClient);
        var deadline = DateTimeOffset.UtcNow + options.CurrentValue.FinalStateTimeout;
        var delay = TimeSpan.FromMilliseconds(100);
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{orderId}");
                Sign(request, ticket.ClientId);
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                var view = await response.Content.ReadFromJsonAsync<JsonElement>(TradingJson.Options, cancellationToken);
                if (Parse(ticket, orderId, view) is { } result)
                {
                    return result;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The next poll tries again.
            }
        }

        return new LegResult(ticket.Side, ticket.Quantity, orderId, null, 0, null, null, "no_final_state", null, null);
    }

    /// <summary>The final state in a GET /orders/{id} answer; null while the order is still open.</summary>
    public static LegResult? Parse(OrderTicket ticket, string orderId, JsonElement view)
    {
        if (!Enum.TryParse<OrderStatus>(view.GetProperty("status").GetString(), out var status) || !status.IsFinal())
        {
            return null;
        }

        DateTimeOffset? first = null, last = null;
        if (view.TryGetProperty("fills", out var fills) && fills.ValueKind == JsonValueKind.Array)
        {
            foreach (var fill in fills.EnumerateArray())
            {
                var at = fill.GetProperty("executedAt").GetDateTimeOffset();
                first = first is null || at < first ? at : first;
                last = last is null || at > last ? at : last;
            }
        }

        return new LegResult(ticket.Side, ticket.Quantity, orderId, status,
            view.GetProperty("filledQuantity").GetDecimal(),
            view.TryGetProperty("averagePrice", out var average) && average.ValueKind == JsonValueKind.Number ? average.GetDecimal() : null,
            view.TryGetProperty("venue", out var venue) ? venue.GetString() : null,
            view.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
            first, last);
    }

    private void Sign(HttpRequestMessage request, string clientId)
    {
        request.Headers.Add(ClientKeys.ClientIdHeader, clientId);
        if (auth.CurrentValue.Secret is { Length: > 0 } secret)
        {
            request.Headers.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(secret, clientId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway refused an order of {ClientId} for {Symbol}: {StatusCode}")]
    private partial void LogRefused(string clientId, string symbol, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending an order of {ClientId} to the gateway failed")]
    private partial void LogSendFailed(Exception ex, string clientId);
}
