using Aspire.Hosting.ApplicationModel;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Collection(TradingAppCollection.Name)]
public sealed class CrashTests(TradingAppFixture app)
{
    [Theory]
    [InlineData("gateway", "Gateway")]
    [InlineData("risk", "Risk")]
    [InlineData("execution", "Execution")]
    [InlineData("exchanges", "Exchanges")]
    [InlineData("notification", "Notification")]
    public async Task Kill_9_of_a_service_mid_flow_loses_and_duplicates_no_acknowledged_order(string resource, string project)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var driver = new OrderDriver(app, $"test-kill-{resource}", perSecond: 8);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        var pid = ServiceProcess.Find(project);
        ServiceProcess.Kill9(pid);
        await app.WaitForStoppedAsync(resource, cts.Token).WaitAsync(cts.Token);
        await Eventually.True(() => Task.FromResult(driver.Sent >= 20 + driver.Acknowledged.Count / 2), TimeSpan.FromSeconds(20), "orders to keep coming while it is down");

        await app.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token).WaitAsync(cts.Token);
        var before = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= before + 5), TimeSpan.FromSeconds(30), "orders to be acknowledged again");
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, $"kill -9 {resource}", driver, TimeSpan.FromSeconds(90));
        Assert.True(report.Acknowledged > 0);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.Final);
    }

    [Fact]
    public async Task A_graceful_stop_mid_flow_acknowledges_nothing_unprocessed_and_loses_nothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var driver = new OrderDriver(app, "test-graceful", perSecond: 8);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        await app.ExecuteCommandAsync("execution", KnownResourceCommands.StopCommand);
        await app.WaitForStoppedAsync("execution", cts.Token).WaitAsync(cts.Token);
        var whileDown = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= whileDown + 8), TimeSpan.FromSeconds(30), "orders to queue up while execution is stopped");

        await app.ExecuteCommandAsync("execution", KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("execution", cts.Token).WaitAsync(cts.Token);
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, "graceful stop of execution", driver, TimeSpan.FromSeconds(90));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.TracesComplete);
    }
}
