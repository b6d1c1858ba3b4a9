using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TradingAspire.Gateway;

/// <summary>Where the trace store is and the key it wants (sections <c>Gateway:TraceStoreUrl</c>, <c>TraceApi:OperatorKey</c>).</summary>
public sealed class OrderTraceOptions
{
    /// <summary>The trace store's base address (service discovery resolves "analytics").</summary>
    public string TraceStoreUrl { get; set; } = "http://trace-analytics";

    public string? OperatorKey { get; set; }
}

/// <summary>
/// A client reads the trace of its own order here, and only here: the gateway has checked that the
/// order is the caller's, then asks the trace store (whose API is for operators only) for that one
/// trace, by the trace id the gateway itself gave the order.
/// </summary>
public sealed class OrderTraces(HttpClient http, IOptions<OrderTraceOptions> options)
{
    public const string OperatorKeyHeader = "X-Operator-Key";

    /// <summary>The trace (as the store's <c>GET /api/traces/{id}</c> answers it), or null while it is not stored yet.</summary>
    public async Task<JsonElement?> GetAsync(string traceId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/traces/{Uri.EscapeDataString(traceId)}");
        request.Headers.Add(OperatorKeyHeader, options.Value.OperatorKey ?? "");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<JsonElement>(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }
}
