using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>An order's way through the pipeline, on one Redis (<see cref="OrderPipelineTests"/>) and on the Redis Cluster (<see cref="ClusterOrderPipelineTests"/>).</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public abstract class OrderPipelineScenarios(TradingAppFixture app)
{
    private static readonly string[] PipelineServices = [ResourceNames.Gateway, ResourceNames.Risk, ResourceNames.Execution, ResourceNames.Exchanges, ResourceNames.Notification];

    private static readonly string[] StagesInOrder =
    [
        "order.receive", "order.validate", "send orders.new",
        "process orders.new", "risk.check", "send orders.approved",
        "process orders.approved", "order.route", "order.execute", "venue.match", "send orders.filled",
        "process orders.filled", "order.confirm", "order.notify",
    ];

    [Fact]
    public async Task Valid_order_is_filled_and_its_trace_spans_every_service_with_no_orphan()
    {
        var accepted = await app.PostOrderAsync("test-fill", new { clientId = "test-fill", symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 0.01m });
        var orderId = accepted.GetProperty("orderId").GetString()!;
        var acceptedTraceId = accepted.GetProperty("traceId").GetString()!;

        var order = (await app.WaitForFinalAsync("test-fill", orderId))!.Value;
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        Assert.Equal(0.01m, order.GetProperty("filledQuantity").GetDecimal());
        var fill = Assert.Single(order.GetProperty("fills").EnumerateArray());
        Assert.Contains(fill.GetProperty("venue").GetString(), new[] { "binance", "kraken", "coinbase" });
        Assert.True(order.GetProperty("slippageBps").ValueKind == JsonValueKind.Number);
        Assert.Equal(acceptedTraceId, order.GetProperty("traceId").GetString());
        var timings = order.GetProperty("stageTimings");
        foreach (var stage in new[] { "order.validate", "risk.check", "order.route", "order.execute", "order.confirm" })
        {
            Assert.True(timings.TryGetProperty(stage, out _), $"stage timing {stage} missing: {timings}");
        }

        var trace = await app.WaitForTraceAsync(orderId, t =>
            PipelineServices.All(t.Services.Contains) && StagesInOrder.All(t.Has) && t.Orphans().Count == 0);

        Assert.Equal(acceptedTraceId, trace.TraceId);
        Assert.All(trace.Spans, s => Assert.Equal(acceptedTraceId, s.TraceId));
        Assert.Empty(trace.Orphans());
        var root = Assert.Single(trace.Spans, s => s.ParentSpanId is null);
        Assert.Equal(ResourceNames.Gateway, root.ServiceName);
        Assert.Equal("Server", root.Kind);

        var starts = StagesInOrder.Select(name => (name, start: trace.First(name).StartTime)).ToList();
        for (var i = 1; i < starts.Count; i++)
        {
            Assert.True(starts[i - 1].start <= starts[i].start,
                $"{starts[i - 1].name} should start before {starts[i].name}{Environment.NewLine}{trace.Describe()}");
        }

        Assert.Equal("Producer", trace.First("send orders.new").Kind);
        Assert.Equal("Consumer", trace.First("process orders.new").Kind);
        Assert.Equal(ResourceNames.Risk, trace.First("process orders.new").Attribute("messaging.consumer.group.name"));
        Assert.Equal(app.Partitions.StreamOf(Streams.OrdersNew, "test-fill"), trace.First("process orders.new").Attribute("messaging.destination.name"));
        Assert.Equal("orders.new", trace.First("process orders.new").Attribute("messaging.destination.template"));
        Assert.Equal(app.Partitions.TagOf("test-fill")[1..^1], trace.First("process orders.new").Attribute("messaging.destination.partition.id"));
        Assert.Equal(ResourceNames.Exchanges, trace.First("venue.match").ServiceName);
        foreach (var stage in StagesInOrder)
        {
            Assert.Equal(orderId, trace.First(stage).Attribute("trading.order_id"));
        }
    }

    [Fact]
    public async Task Invalid_order_gets_problem_details_naming_each_bad_field()
    {
        using var gateway = app.ClientFor(ResourceNames.Gateway, "test-invalid");
        using var response = await gateway.PostAsJsonAsync("/orders",
            new { clientId = "bad client!", symbol = "NOPE-USD", side = "HOLD", type = "LIMIT", quantity = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "clientId", "symbol", "side", "quantity", "limitPrice" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"no error for {field}: {errors}");
        }

        Assert.False(errors.TryGetProperty("type", out _));
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Wrong_types_and_broken_json_are_named_in_the_problem()
    {
        using var gateway = app.ClientFor(ResourceNames.Gateway, "test-types");
        using var wrongTypes = await gateway.PostAsync("/orders", JsonContent.Create(
            new Dictionary<string, object> { ["clientId"] = 42, ["symbol"] = "ETH-USD", ["side"] = "SELL", ["type"] = "MARKET", ["quantity"] = "ten" }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongTypes.StatusCode);
        var errors = (await wrongTypes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("must be a number", errors.GetProperty("quantity")[0].GetString());
        Assert.True(errors.TryGetProperty("clientId", out _));

        using var broken = await gateway.PostAsync("/orders", new StringContent("{\"symbol\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.True((await broken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Unknown_order_is_404_problem_details()
    {
        using var gateway = app.ClientFor(ResourceNames.Gateway, "test-404");
        using var response = await gateway.GetAsync("/orders/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Same_idempotency_key_posted_twice_makes_one_order()
    {
        var key = Guid.NewGuid().ToString("N");
        var body = new { clientId = "test-idem", symbol = "ETH-USD", side = "SELL", type = "MARKET", quantity = 0.5m };
        var first = await app.PostOrderAsync("test-idem", body, key);
        var second = await app.PostOrderAsync("test-idem", body, key);

        Assert.Equal(first.GetProperty("orderId").GetString(), second.GetProperty("orderId").GetString());
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(second.GetProperty("replayed").GetBoolean());

        var order = (await app.WaitForFinalAsync("test-idem", first.GetProperty("orderId").GetString()!))!.Value;
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        var entries = await app.Redis.GetDatabase().StreamRangeAsync(app.Partitions.StreamOf(Streams.OrdersNew, "test-idem"));
        Assert.Single(entries, e => e["payload"].ToString().Contains(first.GetProperty("orderId").GetString()!, StringComparison.Ordinal));
    }
}

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class OrderPipelineTests(TradingAppFixture app) : OrderPipelineScenarios(app);

/// <summary>The same on the local Redis Cluster, the order streams in three partitions.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(ClusterTradingAppCollection.Name)]
public sealed class ClusterOrderPipelineTests(ClusterTradingAppFixture app) : OrderPipelineScenarios(app);
