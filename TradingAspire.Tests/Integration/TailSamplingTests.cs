using System.Net.Http.Json;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// Tail sampling in the real trace store at a keep share of 0: a rejected order's trace is kept whole and found by
/// its order id, while ordinary orders' traces are dropped, and <c>GET /api/sampling</c> says how many and why.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TailSampledTradingAppCollection.Name)]
public sealed class TailSamplingTests(TailSampledTradingAppFixture app)
{
    private const string Client = "test-tail-sampling";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_rejected_order_trace_is_kept_while_ordinary_traces_are_dropped_and_counted()
    {
        var ordinary = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var accepted = await app.PostOrderAsync(Client, new { symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m });
            ordinary.Add(accepted.GetProperty("orderId").GetString()!);
        }

        // 100 BTC is over the default 250k order notional: risk rejects it.
        var rejected = (await app.PostOrderAsync(Client, new { symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 100 }))
            .GetProperty("orderId").GetString()!;
        foreach (var orderId in ordinary.Append(rejected))
        {
            await app.WaitForFinalAsync(Client, orderId);
        }

        var trace = await app.WaitForTraceAsync(rejected, t => t.Has("risk.check") && t.Has("order.notify") && t.Orphans().Count == 0, Timeout);
        Assert.Equal("rejected", trace.First("risk.check").Attribute("trading.risk.decision"));

        var status = await Eventually.Get(async () =>
        {
            var s = await app.TraceAnalytics.GetFromJsonAsync<SamplingStatusResponse>("/api/sampling");
            return s is { DroppedTraces: > 0 } && s.KeptByReason.GetValueOrDefault("rejected") >= 1 ? s : null;
        }, Timeout, "the store to report dropped traces and the kept rejection");
        Assert.True(status.Enabled);
        Assert.Equal(0, status.KeepShare);
        Assert.Equal(status.DroppedTraces, status.DroppedByReason["sampled_out"]);
        Assert.True(status.DroppedSpans >= status.DroppedTraces);

        // What was dropped is not in the store, whole: an ordinary order either has its whole trace (slow or warmup) or none.
        var missing = 0;
        foreach (var orderId in ordinary)
        {
            using var response = await app.TraceAnalytics.GetAsync($"/api/orders/{orderId}/trace");
            missing += response.StatusCode == System.Net.HttpStatusCode.NotFound ? 1 : 0;
        }

        Assert.True(missing > 0, "every ordinary order's trace was kept at a keep share of 0");
    }
}
