using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class CrashTests(TradingAppFixture app)
{
    /// <summary>
    /// Each service is killed with SIGKILL at a moment it provably has work in flight: a consumer
    /// while it holds unacknowledged entries (which the test then follows to their reclaim), the
    /// gateway while requests are open, exchanges while execution has orders at its venues.
    /// </summary>
    [Theory]
    [InlineData(ResourceNames.Gateway, "Gateway", null, null)]
    [InlineData(ResourceNames.Risk, "Risk", "orders.new{p0}", ResourceNames.Risk)]
    [InlineData(ResourceNames.Execution, "Execution", "orders.approved{p0}", ResourceNames.Execution)]
    [InlineData(ResourceNames.Exchanges, "Exchanges", null, null)]
    [InlineData(ResourceNames.Notification, "Notification", "orders.filled{p0}", ResourceNames.Notification)]
    public async Task Kill_9_of_a_service_mid_flow_loses_and_duplicates_no_acknowledged_order(string resource, string project, string? stream, string? group)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var driver = new OrderDriver(app, $"test-kill-{resource}", perSecond: 15);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        var db = app.Redis.GetDatabase();
        var pid = ServiceProcess.Find(project);
        IReadOnlyList<string> stranded = [];
        string inFlight;
        var restarted = false;
        try
        {
            if (stream is not null && group is not null)
            {
                stranded = await MidFlowKill.KillWhileHoldingAsync(db, pid, stream, group, MidFlowKill.ConsumerName(group, pid), TimeSpan.FromSeconds(20));
                Assert.True(stranded.Count > 0, $"{resource} died holding entries of {stream}");
                inFlight = $"{stranded.Count} {(stranded.Count == 1 ? "entry" : "entries")} of {stream}, reclaimed";
            }
            else
            {
                var caught = resource == ResourceNames.Gateway
                    ? await MidFlowKill.KillWhenAsync(pid, () => Task.FromResult(driver.InFlight > 0), TimeSpan.FromSeconds(20))
                    : await MidFlowKill.KillWhenAsync(pid, async () => (await db.StreamPendingAsync(OrderStreams.Approved, ResourceNames.Execution)).PendingMessageCount > 0, TimeSpan.FromSeconds(20));
                Assert.True(caught, $"{resource} died with work in flight");
                inFlight = resource == ResourceNames.Gateway ? "open requests" : "orders at its venues";
            }

            await app.WaitForStoppedAsync(resource, cts.Token).WaitAsync(cts.Token);
            await Eventually.True(() => Task.FromResult(driver.Sent >= 20 + driver.Acknowledged.Count / 2), TimeSpan.FromSeconds(20), "orders to keep coming while it is down");

            await app.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
            restarted = true;
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token).WaitAsync(cts.Token);
        }
        finally
        {
            if (!restarted)
            {
                // Whatever failed, leave the shared app whole for the tests after this one.
                await app.WaitForStoppedAsync(resource, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                await app.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
                await app.App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(TimeSpan.FromMinutes(1));
            }
        }

        var before = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= before + 5), TimeSpan.FromSeconds(30), "orders to be acknowledged again");
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, $"kill -9 {resource}", driver, TimeSpan.FromSeconds(90), inFlight);
        Assert.True(report.Acknowledged > 0);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.Filled); // venues never reject here: an outage delays, it does not fail
        Assert.Equal(report.Acknowledged, report.NotifiedOnce);

        // Every entry the dead consumer held was taken over and processed again, in its own trace.
        foreach (var id in stranded)
        {
            Assert.Empty(await db.StreamPendingMessagesAsync(stream!, group!, 1, StackExchange.Redis.RedisValue.Null, id, id));
            var redelivery = await Eventually.Get(async () =>
            {
                var page = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>(
                    $"/api/spans/search?name={Uri.EscapeDataString($"process {StreamPartitions.Logical(stream!)}")}&attr={Uri.EscapeDataString($"messaging.message.id={id}")}&window=15m");
                return page.GetProperty("spans").EnumerateArray()
                    .Where(s => s.GetProperty("attributes").TryGetProperty("messaging.redis.message.delivery_count", out var count) && int.Parse(count.GetString()!) >= 2)
                    .Select(s => (JsonElement?)s).FirstOrDefault() is { } span ? new StrongBoxed(span) : null;
            }, TimeSpan.FromSeconds(30), $"the redelivery of {stream}/{id} in the trace store");
            Assert.Equal("Consumer", redelivery.Span.GetProperty("kind").GetString());
        }
    }

    private sealed record StrongBoxed(JsonElement Span);

    [Fact]
    public async Task A_graceful_stop_mid_flow_acknowledges_nothing_unprocessed_and_loses_nothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var driver = new OrderDriver(app, "test-graceful", perSecond: 8);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        await app.ExecuteCommandAsync(ResourceNames.Execution, KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync(ResourceNames.Execution, cts.Token).WaitAsync(cts.Token);
        var whileDown = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= whileDown + 8), TimeSpan.FromSeconds(30), "orders to queue up while execution is stopped");

        await app.ExecuteCommandAsync(ResourceNames.Execution, KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Execution, cts.Token).WaitAsync(cts.Token);
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, "graceful stop of execution", driver, TimeSpan.FromSeconds(90));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.NotifiedOnce);
        Assert.Equal(report.Acknowledged, report.TracesComplete);
    }
}
