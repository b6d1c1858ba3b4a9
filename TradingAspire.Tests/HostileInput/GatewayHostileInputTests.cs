using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.HostileInput;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class GatewayHostileInputTests(TradingAppFixture app)
{
    private static readonly HttpStatusCode[] Allowed =
    [
        HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden,
        HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests,
    ];

    [Fact]
    public async Task Generated_hostile_order_bodies_get_clear_answers_and_never_a_500()
    {
        var clients = Enumerable.Range(0, 6).Select(i => $"test-fuzz-{i}").ToArray();
        var https = clients.Select(c => app.ClientFor(ResourceNames.Gateway, c)).ToArray();
        var outcomes = new ConcurrentDictionary<HttpStatusCode, int>();
        var n = 0;

        await Gen.Int[0, clients.Length - 1].SelectMany(i => HostileOrderBodies.Body(clients[i]).Select(body => (i, body)))
            .SampleAsync(async sample =>
            {
                var (i, body) = sample;
                Interlocked.Increment(ref n);
                using var content = new StringContent(body, Encoding.UTF8, n % 25 == 0 ? "text/plain" : "application/json");
                using var response = await https[i].PostAsync("/orders", content);
                outcomes.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
                Assert.Contains(response.StatusCode, Allowed);
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnsupportedMediaType)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
                }
            }, iter: 150, threads: 1);

        Assert.True(outcomes.GetValueOrDefault(HttpStatusCode.BadRequest) > 50, $"the generator mostly produces invalid orders: {Describe(outcomes)}");
        HostileInputReport.Append("gateway POST /orders (JSON)", n, outcomes.Select(o => ($"{(int)o.Key}", o.Value)));

        // The neighbours of all that are unaffected.
        var neighbour = await app.PostOrderAsync("test-fuzz-neighbour", new { clientId = "test-fuzz-neighbour", symbol = "BTC-USD", side = "SELL", type = "MARKET", quantity = 0.01m });
        var order = (await app.WaitForFinalAsync("test-fuzz-neighbour", neighbour.GetProperty("orderId").GetString()!))!.Value;
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        foreach (var http in https)
        {
            http.Dispose();
        }
    }

    [Fact]
    public async Task Malformed_traceparent_and_baggage_headers_start_a_new_trace_and_are_not_trusted()
    {
        using var gateway = app.RawClientFor(ResourceNames.Gateway, "test-bad-headers");
        foreach (var (traceparent, baggage) in new[]
                 {
                     ("00-zzzz-yyyy-01", "trading.order_id"),
                     ("garbage", "=,=,,;;" + new string('k', 9000)),
                     ("00-00000000000000000000000000000000-0000000000000000-01", "trading.client_id=someone-else%ZZ"),
                     ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "%E2%98%BA=%E2%98%BA%ZZ"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
            {
                Content = JsonContent.Create(new { symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m }),
            };
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
            request.Headers.TryAddWithoutValidation("baggage", baggage);
            using var response = await gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.DoesNotContain("4bf92f3577b34da6a3ce929d0e0e4736", accepted.GetProperty("traceId").GetString());
            var orderId = accepted.GetProperty("orderId").GetString()!;
            var order = (await app.WaitForFinalAsync("test-bad-headers", orderId))!.Value;
            Assert.Equal("test-bad-headers", order.GetProperty("clientId").GetString());
            var trace = await app.WaitForTraceAsync(orderId, t => t.Spans.Any(s => s.ServiceName == ResourceNames.Gateway && s.ParentSpanId is null));
            Assert.Equal(accepted.GetProperty("traceId").GetString(), trace.TraceId);
            var root = trace.Spans.Single(s => s.ServiceName == ResourceNames.Gateway && s.ParentSpanId is null);
            Assert.True(root.Events.Contains("trace_context.invalid"),
                $"traceparent '{traceparent}': root {root.Name} {root.SpanId} of {trace.TraceId} has events [{string.Join(", ", root.Events)}]; " +
                $"spans: {string.Join(", ", trace.Spans.Select(s => $"{s.ServiceName}:{s.Name}"))}");
        }
    }

    private static string Describe(IDictionary<HttpStatusCode, int> outcomes) =>
        string.Join(", ", outcomes.Select(o => $"{(int)o.Key}: {o.Value}"));
}
