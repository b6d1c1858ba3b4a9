using System.Diagnostics;
using Aspire.Hosting.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// Clients do not steer tracing: the gateway roots every order's trace itself (the client's context
/// is a link), never lets a client's sampled flag or chosen trace id decide, and filters baggage
/// before anything records it — on 202, 400, 401 and GET alike. Our own services (service key)
/// continue their trace; the venues' order endpoints serve only them.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class TraceContextTrustTests(TradingAppFixture app)
{
    private static object Order => new { symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m };

    private static HttpRequestMessage Post(object body, string? traceparent = null, string? baggage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(body) };
        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        }

        if (baggage is not null)
        {
            request.Headers.TryAddWithoutValidation("baggage", baggage);
        }

        return request;
    }

    private static string Traceparent(ActivityTraceId traceId, bool sampled) =>
        $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{(sampled ? "01" : "00")}";

    private Task<TraceView> TraceAsync(string traceId) =>
        Eventually.Get(async () =>
        {
            using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{traceId}");
            return response.IsSuccessStatusCode ? TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>()) : null;
        }, TimeSpan.FromSeconds(30), $"trace {traceId} in the trace store", TimeSpan.FromMilliseconds(250));

    [Fact]
    public async Task A_client_traceparent_with_sampling_off_neither_hides_the_order_nor_becomes_its_trace()
    {
        var clientTrace = ActivityTraceId.CreateRandom();
        using var gateway = app.RawClientFor(ResourceNames.Gateway, "test-unsampled");
        using var response = await gateway.SendAsync(Post(Order, Traceparent(clientTrace, sampled: false)));
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = accepted.GetProperty("orderId").GetString()!;
        Assert.NotEqual(clientTrace.ToHexString(), accepted.GetProperty("traceId").GetString());

        Assert.Equal("Filled", (await app.WaitForFinalAsync("test-unsampled", orderId))!.Value.GetProperty("status").GetString());
        // One trace, no orphan: every span's parent arrives (each service exports in its own batches).
        var trace = await app.WaitForTraceAsync(orderId, t => t.IsCompleteFill && t.Orphans().Count == 0);
        Assert.Equal(accepted.GetProperty("traceId").GetString(), trace.TraceId);
        var root = Assert.Single(trace.Spans, s => s.ParentSpanId is null);
        Assert.Equal(ResourceNames.Gateway, root.ServiceName);
        Assert.Equal(clientTrace.ToHexString(), root.Attribute("trading.client.trace_id"));
    }

    [Fact]
    public async Task Two_orders_sent_with_the_same_chosen_trace_id_get_traces_of_their_own()
    {
        var chosen = ActivityTraceId.CreateRandom();
        using var gateway = app.RawClientFor(ResourceNames.Gateway, "test-forged-trace");
        var traceIds = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.SendAsync(Post(Order, Traceparent(chosen, sampled: true)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            traceIds.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!);
        }

        Assert.Equal(2, traceIds.Distinct().Count());
        Assert.DoesNotContain(chosen.ToHexString(), traceIds);
        using var chosenTrace = await app.TraceAnalytics.GetAsync($"/api/traces/{chosen.ToHexString()}");
        Assert.Equal(HttpStatusCode.NotFound, chosenTrace.StatusCode);
    }

    [Fact]
    public async Task An_internal_caller_with_the_service_key_continues_its_own_trace()
    {
        var callerTrace = ActivityTraceId.CreateRandom();
        using var gateway = app.RawClientFor(ResourceNames.Gateway, "test-internal-caller");
        gateway.DefaultRequestHeaders.Add(ServiceAuthOptions.Header, app.ServiceKey);
        using var response = await gateway.SendAsync(Post(Order, Traceparent(callerTrace, sampled: true)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(callerTrace.ToHexString(), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString());
    }

    public static TheoryData<string> Refusals => new() { "401", "400", "GET" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Client_baggage_is_filtered_before_anything_records_it(string kind)
    {
        var forged = "forged-" + Guid.NewGuid().ToString("N")[..8];
        var baggage = $"trading.client_id=victim,trading.order_id={forged},trading.desk=fx,evil=1";
        using var gateway = kind == "401" ? app.App.CreateHttpClient(ResourceNames.Gateway) : app.RawClientFor(ResourceNames.Gateway, "test-baggage-" + kind);
        if (kind == "401")
        {
            gateway.DefaultRequestHeaders.Add(ClientKeys.ClientIdHeader, "test-baggage-401");
            gateway.DefaultRequestHeaders.Add(ClientKeys.ApiKeyHeader, "wrong");
        }

        using var request = kind switch
        {
            "GET" => new HttpRequestMessage(HttpMethod.Get, "/orders/" + Guid.NewGuid().ToString("N")),
            "400" => new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent("{\"quantity\":\"lots\"}", Encoding.UTF8, "application/json") },
            _ => Post(Order),
        };
        request.Headers.TryAddWithoutValidation("baggage", baggage);
        using var response = await gateway.SendAsync(request);
        Assert.Equal(kind switch { "401" => HttpStatusCode.Unauthorized, "400" => HttpStatusCode.BadRequest, _ => HttpStatusCode.NotFound }, response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!;

        var trace = await TraceAsync(traceId);
        var server = Assert.Single(trace.Spans, s => s.ServiceName == ResourceNames.Gateway && s.Kind == "Server");
        Assert.Contains("baggage.dropped", server.Events);
        Assert.All(trace.Spans, s =>
        {
            Assert.NotEqual("victim", s.Attribute("trading.client_id"));
            Assert.NotEqual(forged, s.Attribute("trading.order_id"));
        });
        Assert.Equal("fx", server.Attribute("trading.desk"));
    }

    [Fact]
    public async Task The_venues_order_endpoints_refuse_callers_without_the_service_key()
    {
        using var exchanges = app.App.CreateHttpClient(ResourceNames.Exchanges);
        var child = new { clientOrderId = "probe-" + Guid.NewGuid().ToString("N"), orderId = "probe", symbol = "BTC-USD", side = "Buy", type = "Market", quantity = 0.01m };
        using (var anonymous = await exchanges.PostAsJsonAsync("/venues/binance/orders", child))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var cancel = await exchanges.DeleteAsync($"/venues/binance/orders/{child.clientOrderId}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
        }

        exchanges.DefaultRequestHeaders.Add(ServiceAuthOptions.Header, "not-the-key");
        using (var wrong = await exchanges.PostAsJsonAsync("/venues/binance/orders", child))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        exchanges.DefaultRequestHeaders.Remove(ServiceAuthOptions.Header);
        exchanges.DefaultRequestHeaders.Add(ServiceAuthOptions.Header, app.ServiceKey);
        using var allowed = await exchanges.PostAsJsonAsync("/venues/binance/orders", child);
        Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
    }
}
