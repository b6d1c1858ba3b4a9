using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceQueryEndpointTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly TraceDatabase database;
    private readonly DuckDbTraceStore store;
    private readonly TraceAnalyticsService service;

    public TraceQueryEndpointTests()
    {
        database = new TraceDatabase(directory.DatabasePath);
        store = new DuckDbTraceStore(database);
        service = new TraceAnalyticsService(store, new DuckDbTraceAnalyticsStore(database), Options.Create(new TraceAnalyticsOptions()));
    }

    public void Dispose()
    {
        database.Dispose();
        directory.Dispose();
    }

    private Task AppendOrderAsync(string orderId = "ord-42") =>
        store.AppendAsync(OtlpSpanConverter.Convert(OtlpRequests.OrderRequest(orderId)).Spans);

    [Theory]
    [InlineData("abc")]
    [InlineData("5b8efff798038103d269b633813fc60g")]
    [InlineData("5b8efff798038103d269b633813fc60c00")]
    public async Task A_trace_id_that_is_not_32_hex_characters_is_a_400_problem(string traceId)
    {
        var result = await TraceQueryEndpoints.GetTraceAsync(traceId, service, CancellationToken.None);

        var problem = Assert.IsType<ProblemHttpResult>(result.Result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("32 hex", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task An_unknown_trace_is_a_404_problem()
    {
        var result = await TraceQueryEndpoints.GetTraceAsync("0af7651916cd43dd8448eb211c80319c", service, CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(result.Result).StatusCode);
    }

    [Fact]
    public async Task A_trace_is_returned_with_its_spans_in_start_order_in_the_documented_json_shape()
    {
        await AppendOrderAsync();

        var result = await TraceQueryEndpoints.GetTraceAsync(OtlpRequests.TraceIdHex.ToUpperInvariant(), service, CancellationToken.None);

        var trace = Assert.IsType<Ok<TraceResponse>>(result.Result).Value!;
        Assert.Equal(OtlpRequests.TraceIdHex, trace.TraceId);
        Assert.Equal(["POST /orders", "XADD orders"], trace.Spans.Select(s => s.Name));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(trace, JsonSerializerOptions.Web));
        var root = json.RootElement.GetProperty("spans")[0];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parentSpanId").ValueKind);
        Assert.Equal("Server", root.GetProperty("kind").GetString());
        Assert.Equal("orders-api", root.GetProperty("serviceName").GetString());
        Assert.Equal("TradingAspire.Orders", root.GetProperty("scopeName").GetString());
        Assert.Equal("2023-11-14T22:13:20.1234567Z", root.GetProperty("startTime").GetString());
        Assert.Equal("2023-11-14T22:13:20.1244567Z", root.GetProperty("endTime").GetString());
        Assert.Equal(1.0, root.GetProperty("durationMs").GetDouble());
        Assert.Equal("Ok", root.GetProperty("statusCode").GetString());
        Assert.Equal("", root.GetProperty("statusMessage").GetString());
        Assert.Equal("ord-42", root.GetProperty("attributes").GetProperty("trading.order_id").GetString());
        var accepted = root.GetProperty("events")[0];
        Assert.Equal("order.accepted", accepted.GetProperty("name").GetString());
        Assert.Equal("2023-11-14T22:13:20.1239567Z", accepted.GetProperty("time").GetString());
        Assert.Equal("AAPL", accepted.GetProperty("attributes").GetProperty("trading.symbol").GetString());

        var child = json.RootElement.GetProperty("spans")[1];
        Assert.Equal(OtlpRequests.RootSpanIdHex, child.GetProperty("parentSpanId").GetString());
        Assert.Equal("Client", child.GetProperty("kind").GetString());
        Assert.Equal(0.25, child.GetProperty("durationMs").GetDouble());
        Assert.Equal("Error", child.GetProperty("statusCode").GetString());
    }

    [Fact]
    public async Task An_order_returns_its_biggest_trace_and_lists_the_others()
    {
        await AppendOrderAsync();
        var stray = OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans[0] with { TraceId = "11111111111111111111111111111111" };
        await store.AppendAsync([stray]);

        var result = await TraceQueryEndpoints.GetOrderTraceAsync("ord-42", service, CancellationToken.None);

        var order = Assert.IsType<Ok<OrderTraceResponse>>(result.Result).Value!;
        Assert.Equal("ord-42", order.OrderId);
        Assert.Equal(OtlpRequests.TraceIdHex, order.TraceId);
        Assert.Equal(["11111111111111111111111111111111"], order.OtherTraceIds);
        Assert.Equal(2, order.Spans.Count);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(order, JsonSerializerOptions.Web));
        Assert.Equal("ord-42", json.RootElement.GetProperty("orderId").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("otherTraceIds").GetArrayLength());
    }

    [Fact]
    public async Task An_order_without_spans_is_a_404_problem()
    {
        await AppendOrderAsync();

        var result = await TraceQueryEndpoints.GetOrderTraceAsync("ord-unknown", service, CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(result.Result).StatusCode);
    }
}
