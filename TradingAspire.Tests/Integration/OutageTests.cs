using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Collection(TradingAppCollection.Name)]
public sealed class OutageTests(TradingAppFixture app)
{
    private static object Order(string client) => new { clientId = client, symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.05m };

    [Fact]
    public async Task While_redis_is_down_the_gateway_answers_503_and_afterwards_every_acknowledged_order_completes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var driver = new OrderDriver(app, "test-redis-outage", perSecond: 5);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 8), TimeSpan.FromSeconds(30), "orders to flow");

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync("redis", cts.Token).WaitAsync(cts.Token);

        using var gateway = app.ClientFor("gateway", "test-redis-outage-probe");
        var refused = await Eventually.Get(async () =>
        {
            var response = await gateway.PostAsJsonAsync("/orders", Order("test-redis-outage-probe"));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return response;
            }

            Assert.NotEqual(HttpStatusCode.Accepted, response.StatusCode);
            response.Dispose();
            return null;
        }, TimeSpan.FromSeconds(20), "the gateway to refuse orders with 503");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        refused.Dispose();
        await Eventually.True(async () => (await app.Gateway.GetAsync("/health")).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(20), "the gateway's health to turn Unhealthy");

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("redis", cts.Token).WaitAsync(cts.Token);
        await Eventually.True(async () => (await app.Gateway.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the gateway's health to recover");
        var before = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= before + 5), TimeSpan.FromSeconds(60), "orders to be acknowledged again");
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, "redis stopped and restarted", driver, TimeSpan.FromSeconds(90));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.True(driver.Answers.ContainsKey("503"), "some orders were refused while Redis was down");
    }

    [Fact]
    public async Task When_the_backlog_passes_its_bound_the_gateway_sheds_load_with_429_and_recovers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await app.ExecuteCommandAsync("risk", KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync("risk", cts.Token).WaitAsync(cts.Token);

        var clients = Enumerable.Range(0, 5).Select(i => $"test-overload-{i}").ToArray();
        var https = clients.Select(c => app.ClientFor("gateway", c)).ToArray();
        var acknowledged = new Dictionary<string, string>();
        HttpResponseMessage? shed = null;
        for (var i = 0; i < 400 && shed is null; i++)
        {
            var response = await https[i % 5].PostAsJsonAsync("/orders", Order(clients[i % 5]));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                acknowledged[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!] = clients[i % 5];
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests &&
                     (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString() == "Overloaded")
            {
                shed = response;
                continue;
            }

            response.Dispose();
        }

        Assert.NotNull(shed);
        Assert.Equal(TimeSpan.FromSeconds(1), shed.Headers.RetryAfter?.Delta);
        Assert.InRange(acknowledged.Count, 60, 200);
        var health = await (await app.Gateway.GetAsync("/health")).Content.ReadAsStringAsync();
        Assert.Equal("Degraded", health);

        await app.ExecuteCommandAsync("risk", KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("risk", cts.Token).WaitAsync(cts.Token);
        await Eventually.True(async () =>
        {
            using var response = await https[0].PostAsJsonAsync("/orders", Order(clients[0]));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                acknowledged[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!] = clients[0];
                return true;
            }

            return false;
        }, TimeSpan.FromSeconds(60), "the gateway to accept orders again");

        foreach (var (orderId, client) in acknowledged)
        {
            var order = (await app.WaitForFinalAsync(client, orderId, TimeSpan.FromSeconds(90)))!.Value;
            Assert.NotEqual("Accepted", order.GetProperty("status").GetString());
        }

        foreach (var http in https)
        {
            http.Dispose();
        }
    }
}
