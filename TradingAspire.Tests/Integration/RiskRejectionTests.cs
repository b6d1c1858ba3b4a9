using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>A rejected order, on one Redis (<see cref="RiskRejectionTests"/>) and on the Redis Cluster (<see cref="ClusterRiskRejectionTests"/>).</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public abstract class RiskRejectionScenarios(TradingAppFixture app)
{
    [Fact]
    public async Task Over_limit_order_is_rejected_notified_and_its_risk_span_is_an_error()
    {
        var clientId = "test-risk-" + Guid.NewGuid().ToString("N")[..8];
        using var listening = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var notifications = app.ClientFor(ResourceNames.Notification, clientId);
        using var stream = await notifications.GetStreamAsync($"/notifications/{clientId}", listening.Token);
        using var reader = new StreamReader(stream);
        Assert.Equal("event: subscribed", await reader.ReadLineAsync(listening.Token));

        // 100 BTC is millions of dollars: over the default 250k order notional.
        var accepted = await app.PostOrderAsync(clientId, new { clientId, symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 100 });
        var orderId = accepted.GetProperty("orderId").GetString()!;

        var order = (await app.WaitForFinalAsync(clientId, orderId))!.Value;
        Assert.Equal("Rejected", order.GetProperty("status").GetString());
        Assert.StartsWith("order_notional_limit", order.GetProperty("reason").GetString());

        var pushed = await ReadNotificationAsync(reader, orderId, listening.Token);
        Assert.Equal("Rejected", pushed.GetProperty("status").GetString());
        Assert.Equal(accepted.GetProperty("traceId").GetString(), pushed.GetProperty("traceId").GetString());

        var trace = await app.WaitForTraceAsync(orderId, t => t.Has("risk.check") && t.Has("order.notify") && t.Orphans().Count == 0);
        var risk = trace.First("risk.check");
        Assert.Equal("Error", risk.StatusCode);
        Assert.Equal("order_notional_limit", risk.Attribute("trading.risk.reason"));
        Assert.Equal(ResourceNames.Notification, trace.First("order.notify").ServiceName);
        Assert.Equal("process orders.rejected", trace.Spans.Single(s => s.Name.StartsWith("process orders.rejected", StringComparison.Ordinal)).Name);
        Assert.False(trace.Has("order.route"));
    }

    private static async Task<JsonElement> ReadNotificationAsync(StreamReader reader, string orderId, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                var json = JsonSerializer.Deserialize<JsonElement>(line["data: ".Length..]);
                if (json.ValueKind == JsonValueKind.Object && json.GetProperty("orderId").GetString() == orderId)
                {
                    return json;
                }
            }
        }

        throw new Xunit.Sdk.XunitException("The notification stream ended before the order's outcome arrived.");
    }
}

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class RiskRejectionTests(TradingAppFixture app) : RiskRejectionScenarios(app);

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(ClusterTradingAppCollection.Name)]
public sealed class ClusterRiskRejectionTests(ClusterTradingAppFixture app) : RiskRejectionScenarios(app);
