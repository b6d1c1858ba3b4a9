using System.Net;
using System.Net.Http.Json;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>What came of one call to a venue.</summary>
public abstract record VenueCall
{
    /// <summary>The venue answered with what it did (filled, rejected, cancelled…).</summary>
    public sealed record Answered(VenueOrderResult Result) : VenueCall;

    /// <summary>The venue certainly did not execute it (refused the request, or was down before accepting).</summary>
    public sealed record NotExecuted(string Reason) : VenueCall;
}

/// <summary>
/// Raw HTTP calls to the exchanges service. Resilience (retries, timeouts, a circuit breaker per
/// venue) is applied around these by <see cref="VenueGateway"/>. A timeout or a dropped connection
/// throws: the outcome is then unknown and the caller resolves it with <see cref="CancelAsync"/>.
/// </summary>
public sealed class ExchangesClient(HttpClient http)
{
    public async Task<VenueCall> SendAsync(string venue, VenueOrderRequest order, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/venues/{Uri.EscapeDataString(venue)}/orders", order, TradingJson.Options, cancellationToken);
        return await InterpretAsync(response, cancellationToken);
    }

    /// <summary>Cancel-if-not-executed: the venue answers the child order's result, or Cancelled.</summary>
    public async Task<VenueCall> CancelAsync(string venue, string clientOrderId, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"/venues/{Uri.EscapeDataString(venue)}/orders/{Uri.EscapeDataString(clientOrderId)}", cancellationToken);
        return await InterpretAsync(response, cancellationToken);
    }

    private static async Task<VenueCall> InterpretAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            var result = await response.Content.ReadFromJsonAsync<VenueOrderResult>(TradingJson.Options, cancellationToken)
                ?? throw new HttpRequestException("The venue answered with an empty body.");
            return new VenueCall.Answered(result);
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            return new VenueCall.NotExecuted($"refused: {(int)response.StatusCode}");
        }

        // 409 (in flight), 503 (venue down), other 5xx: retried by the pipeline; thrown when retries run out.
        throw new VenueHttpException(response.StatusCode);
    }
}

/// <summary>A venue answered with a status that may succeed on retry (409, 5xx).</summary>
public sealed class VenueHttpException(HttpStatusCode status) : HttpRequestException($"Venue answered {(int)status}.", null, status)
{
    /// <summary>503 from a venue means it refused before accepting: the child order did not execute.</summary>
    public bool RefusedBeforeAccepting => StatusCode == HttpStatusCode.ServiceUnavailable;
}
