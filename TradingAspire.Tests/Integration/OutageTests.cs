using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
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

        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync(ResourceNames.Redis, cts.Token).WaitAsync(cts.Token);

        using var gateway = app.ClientFor(ResourceNames.Gateway, "test-redis-outage-probe");
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

        await RestartRedisAndFinishAsync(driver, cts.Token);

        var report = await DeliveryAudit.AuditAsync(app, "redis stopped and restarted", driver, TimeSpan.FromSeconds(90));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.True(driver.Answers.ContainsKey("503"), "some orders were refused while Redis was down");
    }

    [Fact]
    public async Task Kill_9_of_redis_mid_flow_loses_no_acknowledged_order()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var db = app.Redis.GetDatabase();
        Assert.Equal("always", (await app.Redis.GetServers()[0].ConfigGetAsync("appendfsync")).Single().Value);
        await using var driver = new OrderDriver(app, "test-redis-kill", perSecond: 15);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        // SIGKILL (no AOF flush on the way out) while the gateway has requests open and risk holds entries.
        var pid = ServiceProcess.FindRedis(app.DataRoot);
        var caught = await MidFlowKill.KillWhenAsync(pid, async () =>
            driver.InFlight > 0 && (await db.StreamPendingAsync(OrderStreams.New, ResourceNames.Risk)).PendingMessageCount > 0, TimeSpan.FromSeconds(20));
        var acknowledgedAtKill = driver.Acknowledged.ToDictionary();
        try
        {
            Assert.True(caught, "redis-server died with orders in flight");
            await app.WaitForStoppedAsync(ResourceNames.Redis, cts.Token).WaitAsync(cts.Token);
            await Eventually.True(() => Task.FromResult(driver.Answers.ContainsKey("503")), TimeSpan.FromSeconds(20), "orders to be refused while Redis is dead");
        }
        finally
        {
            await RestartRedisAndFinishAsync(driver, cts.Token);
        }

        // Every order acknowledged before the crash is still known to Redis after it.
        foreach (var (orderId, client) in acknowledgedAtKill)
        {
            Assert.True(await db.KeyExistsAsync(OrderKeys.Order(app.Partitions.TagOf(client), orderId)), $"order {orderId}, answered 202 before the crash, survived it");
        }

        var report = await DeliveryAudit.AuditAsync(app, "kill -9 redis-server", driver, TimeSpan.FromSeconds(90),
            "open requests, entries of orders.new");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.Filled);
        Assert.Equal(report.Acknowledged, report.NotifiedOnce);

        // An order answered 504 (outcome unknown) was either never accepted or completed like any other.
        foreach (var (orderId, client) in driver.Unknown)
        {
            using var gateway = app.ClientFor(ResourceNames.Gateway, client);
            using var response = await gateway.GetAsync($"/orders/{orderId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.NotEqual("Accepted", (await app.WaitForFinalAsync(client, orderId))!.Value.GetProperty("status").GetString());
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
    }

    /// <summary>Starts Redis again, waits until the gateway is healthy and accepts orders again, then stops sending.</summary>
    private async Task RestartRedisAndFinishAsync(OrderDriver driver, CancellationToken cancellationToken)
    {
        await app.ExecuteCommandAsync(ResourceNames.Redis, KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, cancellationToken).WaitAsync(cancellationToken);
        await Eventually.True(async () => (await app.Gateway.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the gateway's health to recover");
        var before = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= before + 5), TimeSpan.FromSeconds(60), "orders to be acknowledged again");
        await driver.StopAsync();
    }

    [Fact]
    public async Task When_the_backlog_passes_its_bound_the_gateway_sheds_load_with_429_and_recovers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await app.ExecuteCommandAsync(ResourceNames.Risk, KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync(ResourceNames.Risk, cts.Token).WaitAsync(cts.Token);

        var clients = Enumerable.Range(0, 5).Select(i => $"test-overload-{i}").ToArray();
        var https = clients.Select(c => app.ClientFor(ResourceNames.Gateway, c)).ToArray();
        var acknowledged = new Dictionary<string, string>();
        HttpResponseMessage? shed = null;
        // The gateway reads the backlog every 500 ms: keep offering orders (paced by the clients' rate limits)
        // until it sheds, or give up after 30 s.
        var sending = Stopwatch.StartNew();
        for (var i = 0; shed is null && sending.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            var response = await https[i % 5].PostAsJsonAsync("/orders", Order(clients[i % 5]));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                acknowledged[(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!] = clients[i % 5];
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString() == "Overloaded")
                {
                    shed = response;
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50)); // rate-limited: wait for the bucket, not for the backlog
            }

            response.Dispose();
        }

        var health = await (await app.Gateway.GetAsync("/health")).Content.ReadAsStringAsync();
        await app.ExecuteCommandAsync(ResourceNames.Risk, KnownResourceCommands.StartCommand);
        Assert.NotNull(shed);
        Assert.Equal(TimeSpan.FromSeconds(1), shed.Headers.RetryAfter?.Delta);
        Assert.True(acknowledged.Count >= 60, $"orders were accepted up to the bound (60) before shedding: {acknowledged.Count}");
        Assert.Equal("Degraded", health);

        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Risk, cts.Token).WaitAsync(cts.Token);
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
