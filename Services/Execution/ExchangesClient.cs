using System.Net;
using System.Net.Http.Json;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>Typed HTTP client for the exchanges service (standard resilience: retries, timeouts, breaker).</summary>
public sealed class ExchangesClient(HttpClient http)
{
    /// <summary>Sends a child order. Returns null with the reason when the venue refused it as a request (4xx).</summary>
    public async Task<(VenueOrderResult? Result, string? Refusal)> SendAsync(string venue, VenueOrderRequest order, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/venues/{Uri.EscapeDataString(venue)}/orders", order, TradingJson.Options, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<VenueOrderResult>(TradingJson.Options, cancellationToken), null);
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            return (null, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        // 409 (same child order in flight), 5xx after retries: the outcome is unknown, so the caller retries later.
        response.EnsureSuccessStatusCode();
        return (null, null);
    }
}
