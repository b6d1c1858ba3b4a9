using System.Net;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// Head sampling on the real AppHost at <c>Tracing:Sampling:Ratio=0</c> with one client on the
/// always-sample list: that client's orders have whole traces in the trace store; every other order
/// still runs to its final state but leaves no span anywhere; and every service's metrics count every
/// order, sampled or not.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(SampledTradingAppCollection.Name)]
public sealed class HeadSamplingTests(SampledTradingAppFixture app)
{
    private const string OtherClient = "test-sampling-ordinary";
    private const int OrdersEach = 3;
    private static readonly TimeSpan MetricsTimeout = TimeSpan.FromSeconds(30);

    private static object Order => new { symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m };

    [Fact]
    public async Task At_ratio_zero_only_rule_orders_are_traced_yet_every_order_is_counted()
    {
        var before = Counts();

        // The unsampled orders go first: once the rule client's later traces are complete in the store,
        // any span of the earlier orders would have been exported before them.
        var others = await SubmitAsync(OtherClient);
        var kept = await SubmitAsync(SampledTradingAppFixture.RuleClient);

        foreach (var (client, orderId, _) in others.Concat(kept))
        {
            Assert.Equal("Filled", (await app.WaitForFinalAsync(client, orderId))!.Value.GetProperty("status").GetString());
        }

        foreach (var (_, orderId, traceId) in kept)
        {
            var trace = await app.WaitForTraceAsync(orderId, t => t.IsCompleteFill && t.Orphans().Count == 0);
            Assert.Equal(traceId, trace.TraceId);
            var root = Assert.Single(trace.Spans, s => s.ParentSpanId is null);
            Assert.Equal("client", root.Attribute(TradingAttributes.SamplingRule));
            Assert.Superset(new HashSet<string> { ResourceNames.Gateway, ResourceNames.Risk, ResourceNames.Execution, ResourceNames.Notification }, trace.Services.ToHashSet());
        }

        foreach (var (_, orderId, traceId) in others)
        {
            using var byTrace = await app.TraceAnalytics.GetAsync($"/api/traces/{traceId}");
            Assert.True(byTrace.StatusCode == HttpStatusCode.NotFound, $"Order {orderId} was not sampled, yet its trace {traceId} is stored.");
            using var byOrder = await app.TraceAnalytics.GetAsync($"/api/orders/{orderId}/trace");
            Assert.True(byOrder.StatusCode == HttpStatusCode.NotFound, $"Order {orderId} was not sampled, yet spans of it are stored.");
        }

        var all = others.Count + kept.Count;
        await Eventually.True(() => Task.FromResult(Counts().Minus(before).All(c => c.Value >= all)), MetricsTimeout,
            $"every service's metrics to count all {all} orders");
        Assert.All(Counts().Minus(before), c => Assert.True(c.Value == all, $"{c.Key} counted {c.Value} of {all} orders"));
    }

    private async Task<List<(string Client, string OrderId, string TraceId)>> SubmitAsync(string client)
    {
        var submitted = new List<(string, string, string)>();
        for (var i = 0; i < OrdersEach; i++)
        {
            var accepted = await app.PostOrderAsync(client, Order);
            submitted.Add((client, accepted.GetProperty("orderId").GetString()!, accepted.GetProperty("traceId").GetString()!));
        }

        return submitted;
    }

    /// <summary>One count per stage of an order's journey, each from the Meter of the service doing it.</summary>
    private Dictionary<string, double> Counts()
    {
        var metrics = app.Metrics;
        return new Dictionary<string, double>
        {
            ["gateway trading.orders.received{accepted}"] = metrics.Total(ResourceNames.Gateway, "trading.orders.received", a => a.GetValueOrDefault(TradingAttributes.Outcome) == "accepted"),
            ["gateway trading.stage.duration{order.receive}"] = StageCount(ResourceNames.Gateway, Stages.Receive),
            ["risk trading.risk.decisions"] = metrics.Total(ResourceNames.Risk, "trading.risk.decisions"),
            ["risk trading.stage.duration{risk.check}"] = StageCount(ResourceNames.Risk, Stages.Risk),
            ["execution trading.stage.duration{order.route}"] = StageCount(ResourceNames.Execution, Stages.Route),
            ["execution messaging.process.duration{orders.approved}"] = metrics.Total(ResourceNames.Execution, "messaging.process.duration",
                a => a.GetValueOrDefault(SemanticAttributes.MessagingDestinationName) == OrderStreams.Approved),
            ["notification trading.orders.completed"] = metrics.Total(ResourceNames.Notification, "trading.orders.completed"),
            ["notification trading.stage.duration{order.notify}"] = StageCount(ResourceNames.Notification, Stages.Notify),
        };
    }

    private double StageCount(string service, string stage) =>
        app.Metrics.Total(service, "trading.stage.duration", a => a.GetValueOrDefault(TradingAttributes.Stage) == stage);
}

internal static class CountDeltas
{
    public static Dictionary<string, double> Minus(this Dictionary<string, double> now, Dictionary<string, double> before) =>
        now.ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key));
}
