using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// The stream topology the AppHost declares (and the dashboard draws) is the one the code runs: the
/// consumer groups in Redis are exactly the declared consumers, the <c>send</c> spans come from the
/// declared producers, and each stream shows its live state on the dashboard.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class StreamTopologyTests(TradingAppFixture app)
{
    private IReadOnlyList<RedisStreamResource> Declared =>
        app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<RedisStreamResource>().ToList();

    [Fact]
    public async Task The_declared_streams_producers_and_consumer_groups_are_the_ones_the_services_use()
    {
        Assert.Equal([Streams.Alerts, Streams.MarketDataHealth, Streams.OrdersApproved, Streams.OrdersFilled, Streams.OrdersNew, Streams.OrdersRejected], Declared.Select(s => s.Key).Order());

        // Traffic on every order stream: a filled order and a rejected one.
        const string client = "test-topology";
        foreach (var quantity in new[] { 0.01m, 100m })
        {
            var accepted = await app.PostOrderAsync(client, new { clientId = client, symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity });
            await app.WaitForFinalAsync(client, accepted.GetProperty("orderId").GetString()!);
        }

        var db = app.Redis.GetDatabase();
        foreach (var stream in Declared)
        {
            foreach (var key in stream.RedisKeys)
            {
                var groups = (await db.StreamGroupInfoAsync(key)).Select(g => g.Name).Order().ToList();
                Assert.True(stream.ConsumerGroups.Order().SequenceEqual(groups),
                    $"{key}: declared consumers [{string.Join(", ", stream.ConsumerGroups)}], groups in Redis [{string.Join(", ", groups)}]");
            }
        }

        // Alerts and feed-health reports are housekeeping: written without a span of their own.
        foreach (var stream in Declared.Where(s => s.Key is not (Streams.Alerts or Streams.MarketDataHealth)))
        {
            var senders = await Eventually.Get(async () =>
            {
                var page = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/spans/search?name={Uri.EscapeDataString($"send {stream.Key}")}&window=15m");
                var services = page.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("serviceName").GetString()!).ToHashSet();
                return services.Count > 0 ? services : null;
            }, TimeSpan.FromSeconds(30), $"send spans of {stream.Key}");
            Assert.Subset(stream.Producers.ToHashSet(), senders);
        }
    }

    [Fact]
    public async Task Each_stream_shows_its_length_and_its_groups_lag_on_the_dashboard()
    {
        var ordersNew = Declared.Single(s => s.Key == Streams.OrdersNew);
        var accepted = await app.PostOrderAsync("test-topology-state", new { clientId = "test-topology-state", symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.01m });
        await app.WaitForFinalAsync("test-topology-state", accepted.GetProperty("orderId").GetString()!);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var shown = await app.App.ResourceNotifications.WaitForResourceAsync(ordersNew.Name, e =>
            e.Snapshot.State?.Text == KnownResourceStates.Running &&
            e.Snapshot.Properties.Any(p => p.Name == "stream.length" && Convert.ToInt64(p.Value) > 0) &&
            e.Snapshot.Properties.Any(p => p.Name == $"group.{ResourceNames.Risk}.lag"), cts.Token);

        Assert.Equal(RedisStreamResource.ResourceType, shown.Snapshot.ResourceType);
        Assert.Equal("none", shown.Snapshot.Properties.Single(p => p.Name == "stream.groups_missing").Value);
        Assert.Equal(ResourceNames.Gateway, shown.Snapshot.Properties.Single(p => p.Name == "stream.producers").Value);
    }
}
