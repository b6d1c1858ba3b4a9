using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class AccessControlTests(TradingAppFixture app)
{
    private static object Order(string clientId) => new { clientId, symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m };

    [Fact]
    public async Task Orders_without_a_valid_key_are_refused()
    {
        using var anonymous = await app.Gateway.PostAsJsonAsync("/orders", Order("test-anon"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(ClientKeys.ApiKeyHeader, anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(Order("test-anon")) };
        wrongKey.Headers.Add(ClientKeys.ClientIdHeader, "test-anon");
        wrongKey.Headers.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(app.ClientKeySecret, "someone-else"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Gateway.SendAsync(wrongKey)).StatusCode);
    }

    [Fact]
    public async Task A_client_reads_the_trace_of_its_own_order_through_the_gateway_and_of_no_one_elses()
    {
        var accepted = await app.PostOrderAsync("test-trace-owner", Order("test-trace-owner"));
        var orderId = accepted.GetProperty("orderId").GetString()!;
        using var owner = app.ClientFor(ResourceNames.Gateway, "test-trace-owner");
        var trace = await Eventually.Get(async () =>
        {
            using var response = await owner.GetAsync($"/orders/{orderId}/trace");
            if (!response.IsSuccessStatusCode)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // not stored yet
                return null;
            }

            var view = TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>());
            return view.IsCompleteFill ? view : null;
        }, TimeSpan.FromSeconds(30), "the owner to read its order's whole trace");
        Assert.Equal(accepted.GetProperty("traceId").GetString(), trace.TraceId);
        Assert.Contains(ResourceNames.Exchanges, trace.Services);

        using var other = app.ClientFor(ResourceNames.Gateway, "test-trace-snoop");
        using var snoop = await other.GetAsync($"/orders/{orderId}/trace");
        Assert.Equal(HttpStatusCode.NotFound, snoop.StatusCode);

        // The store itself answers operators only.
        using var direct = new HttpClient { BaseAddress = app.TraceAnalytics.BaseAddress };
        using var refused = await direct.GetAsync($"/api/orders/{orderId}/trace");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_client_can_neither_order_as_nor_read_the_orders_of_another_client()
    {
        using var mallory = app.ClientFor(ResourceNames.Gateway, "test-mallory");
        using var impersonation = await mallory.PostAsJsonAsync("/orders", Order("test-alice"));
        Assert.Equal(HttpStatusCode.Forbidden, impersonation.StatusCode);

        var alices = await app.PostOrderAsync("test-alice", Order("test-alice"));
        var orderId = alices.GetProperty("orderId").GetString()!;
        using var snoop = await mallory.GetAsync($"/orders/{orderId}");
        Assert.Equal(HttpStatusCode.NotFound, snoop.StatusCode);

        using var alice = app.ClientFor(ResourceNames.Gateway, "test-alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/orders/{orderId}")).StatusCode);

        using var notifications = app.ClientFor(ResourceNames.Notification, "test-mallory");
        Assert.Equal(HttpStatusCode.Forbidden, (await notifications.GetAsync("/notifications/test-alice/recent")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await notifications.GetAsync("/notifications/test-mallory/recent")).StatusCode);
    }

    [Fact]
    public async Task Each_client_is_rate_limited_on_its_own()
    {
        using var greedy = app.ClientFor(ResourceNames.Gateway, "test-greedy");
        // The test app allows 20 requests/s with a burst of 40 per client.
        var answers = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => greedy.GetAsync("/orders/none")));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, a => Assert.True(a.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));

        using var patient = app.ClientFor(ResourceNames.Gateway, "test-patient");
        Assert.Equal(HttpStatusCode.NotFound, (await patient.GetAsync("/orders/none")).StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_need_the_admin_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Gateway.GetAsync("/admin/dead-letters")).StatusCode);
        using var client = app.ClientFor(ResourceNames.Gateway, "test-admin-wannabe");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/admin/dead-letters")).StatusCode);

        using var admin = app.AdminClient(ResourceNames.Gateway);
        var streams = await admin.GetFromJsonAsync<JsonElement>("/admin/dead-letters");
        Assert.Contains(streams.EnumerateArray(), s => s.GetProperty("stream").GetString() == OrderStreams.NewDead);
    }

    [Fact]
    public async Task Client_baggage_is_filtered_and_cannot_forge_the_order_or_client_id()
    {
        using var gateway = app.ClientFor(ResourceNames.Gateway, "test-baggage");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(Order("test-baggage")) };
        request.Headers.Add("baggage", "trading.order_id=forged,trading.client_id=mallory,trading.strategy_id=momo-1,secret.token=abc");
        using var response = await gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;

        var entries = await app.Redis.GetDatabase().StreamRangeAsync(OrderStreams.New);
        var baggage = entries.Single(e => e["payload"].ToString().Contains(orderId, StringComparison.Ordinal))["baggage"].ToString();
        Assert.Contains($"trading.order_id={orderId}", baggage);
        Assert.Contains("trading.client_id=test-baggage", baggage);
        Assert.Contains("trading.strategy_id=momo-1", baggage);
        Assert.DoesNotContain("forged", baggage);
        Assert.DoesNotContain("mallory", baggage);
        Assert.DoesNotContain("secret.token", baggage);

        var trace = await app.WaitForTraceAsync(orderId, t => t.Has("risk.check"));
        Assert.Equal("momo-1", trace.First("risk.check").Attribute("trading.strategy_id"));
        Assert.All(trace.Spans.Where(s => s.Attribute("trading.order_id") is not null), s => Assert.Equal(orderId, s.Attribute("trading.order_id")));
    }

    [Fact]
    public async Task The_trace_store_refuses_exports_without_its_key()
    {
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new("application/x-protobuf");
        using var response = await app.TraceAnalytics.PostAsync("/v1/traces", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
