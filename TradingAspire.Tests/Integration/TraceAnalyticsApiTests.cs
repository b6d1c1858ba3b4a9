using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class TraceAnalyticsApiTests(TradingAppFixture app)
{
    private static readonly string[] PipelineStages =
    [
        "order.receive", "order.validate", "send orders.new", "process orders.new", "risk.check", "send orders.approved",
        "process orders.approved", "order.route", "order.execute", "venue.match", "send orders.filled",
        "process orders.filled", "order.confirm", "order.notify",
    ];

    [Fact]
    public async Task With_orders_flowing_the_stage_percentiles_cover_every_stage_and_the_critical_path_spans_the_trace()
    {
        var orderIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var accepted = await app.PostOrderAsync("test-analytics", new { clientId = "test-analytics", symbol = "ETH-USD", side = "SELL", type = "MARKET", quantity = 0.2m });
            orderIds.Add(accepted.GetProperty("orderId").GetString()!);
        }

        var trace = default(TraceView);
        foreach (var id in orderIds)
        {
            await app.WaitForFinalAsync("test-analytics", id);
            trace = await app.WaitForTraceAsync(id, t => PipelineStages.All(t.Has));
        }

        var percentiles = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/api/stages/percentiles?groupBy=stage&window=15m");
        var groups = percentiles.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("stage").GetString()!);
        foreach (var stage in PipelineStages)
        {
            Assert.True(groups.TryGetValue(stage, out var group), $"no percentiles for {stage}");
            Assert.True(group.GetProperty("count").GetInt64() >= 3);
            Assert.True(group.GetProperty("p50Ms").GetDouble() <= group.GetProperty("p95Ms").GetDouble());
            Assert.True(group.GetProperty("p95Ms").GetDouble() <= group.GetProperty("p99Ms").GetDouble());
        }

        var path = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/traces/{trace!.TraceId}/critical-path");
        var total = path.GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("durationMs").GetDouble());
        Assert.Equal(path.GetProperty("durationMs").GetDouble(), total, 1);

        var jaeger = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/traces/{trace.TraceId}/jaeger");
        var data = jaeger.GetProperty("data")[0];
        Assert.Equal(trace.TraceId, data.GetProperty("traceID").GetString());
        // Spans keep arriving for a moment (Redis commands are drained in batches): at least what we saw.
        Assert.True(data.GetProperty("spans").GetArrayLength() >= trace.Spans.Count);
        Assert.All(data.GetProperty("spans").EnumerateArray(), s => Assert.Equal(trace.TraceId, s.GetProperty("traceID").GetString()));
        Assert.Contains(data.GetProperty("processes").EnumerateObject(), p => p.Value.GetProperty("serviceName").GetString() == ResourceNames.Exchanges);
    }
}
