using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class LatencyAlertTests(TradingAppFixture app)
{
    [Fact]
    public async Task A_slowed_venue_fires_an_alert_with_its_traces_tops_the_bottlenecks_and_resolves_when_it_recovers()
    {
        var started = DateTimeOffset.UtcNow;
        using var listening = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var notifications = app.ClientFor(ResourceNames.Notification, "test-alerts");
        using var stream = await notifications.GetStreamAsync("/alerts", listening.Token);
        using var reader = new StreamReader(stream);
        Assert.Equal("event: subscribed", await reader.ReadLineAsync(listening.Token));
        using var bystanderClient = app.ClientFor(ResourceNames.Notification, "test-alerts-bystander");
        using var bystanderStream = await bystanderClient.GetStreamAsync("/alerts", listening.Token);
        using var bystander = new StreamReader(bystanderStream);
        Assert.Equal("event: subscribed", await bystander.ReadLineAsync(listening.Token));

        // DOGE-USD is listed by binance and coinbase: slow both down.
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        foreach (var venue in new[] { "binance", "coinbase" })
        {
            (await admin.PutAsJsonAsync($"/admin/venues/{venue}/fault", new { extraLatencyMs = 600 })).EnsureSuccessStatusCode();
        }

        var traceIds = new List<string>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var accepted = await app.PostOrderAsync("test-alerts", new { clientId = "test-alerts", symbol = "DOGE-USD", side = "BUY", type = "MARKET", quantity = 100 });
                traceIds.Add(accepted.GetProperty("traceId").GetString()!);
                Assert.Equal("Filled", (await app.WaitForFinalAsync("test-alerts", accepted.GetProperty("orderId").GetString()!))!.Value.GetProperty("status").GetString());
            }

            var firing = await Eventually.Get(async () =>
            {
                var alerts = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing");
                return alerts.EnumerateArray().Where(a => a.GetProperty("rule").GetString() == "test-symbol-slow" && a.GetProperty("group").GetString() == "DOGE-USD")
                    .Select(a => (JsonElement?)a).FirstOrDefault() is { } found ? new Box(found) : null;
            }, TimeSpan.FromSeconds(30), "the alert to fire");
            Assert.Equal("Firing", firing.Value.GetProperty("state").GetString());
            Assert.True(firing.Value.GetProperty("valueMs").GetDouble() > 300);
            Assert.Contains(firing.Value.GetProperty("traceIds").EnumerateArray().Select(t => t.GetString()!), traceIds.Contains);

            var pushed = await NextAlertAsync(reader, "Firing", listening.Token);
            Assert.Equal(firing.Value.GetProperty("id").GetString(), pushed.GetProperty("id").GetString());
            Assert.Contains(pushed.GetProperty("traceIds").EnumerateArray().Select(t => t.GetString()!), traceIds.Contains);
            Assert.All(pushed.GetProperty("traceIds").EnumerateArray(), t => Assert.Contains(t.GetString(), traceIds));

            // Another client hears of the alert too, but not of test-alerts' orders.
            var heard = await NextAlertAsync(bystander, "Firing", listening.Token);
            Assert.Equal(firing.Value.GetProperty("id").GetString(), heard.GetProperty("id").GetString());
            Assert.Empty(heard.GetProperty("traceIds").EnumerateArray());

            var bottlenecks = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>(
                $"/api/bottlenecks?from={started.UtcDateTime:O}&to={DateTimeOffset.UtcNow.AddSeconds(1).UtcDateTime:O}");
            Assert.Equal("venue.match", bottlenecks.GetProperty("stages")[0].GetProperty("stage").GetString());
            Assert.Contains(bottlenecks.GetProperty("byVenue")[0].GetProperty("venue").GetString(), new[] { "binance", "coinbase" });
        }
        finally
        {
            foreach (var venue in new[] { "binance", "coinbase" })
            {
                await admin.DeleteAsync($"/admin/venues/{venue}/fault");
            }
        }

        // Once the slow spans leave the 15 s window, the alert resolves.
        var resolved = await NextAlertAsync(reader, "Resolved", listening.Token);
        Assert.Equal("test-symbol-slow", resolved.GetProperty("rule").GetString());
        var all = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/api/alerts?state=all");
        Assert.Contains(all.EnumerateArray(), a => a.GetProperty("id").GetString() == resolved.GetProperty("id").GetString() && a.GetProperty("state").GetString() == "Resolved");
    }

    private static async Task<JsonElement> NextAlertAsync(StreamReader reader, string state, CancellationToken cancellationToken)
    {
        string? eventType = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: {", StringComparison.Ordinal) && eventType == state)
            {
                var alert = JsonSerializer.Deserialize<JsonElement>(line["data: ".Length..]);
                // Only this test's alert: the rule also fires for other symbols that earlier tests slowed down.
                if (alert.GetProperty("rule").GetString() == "test-symbol-slow" && alert.GetProperty("group").GetString() == "DOGE-USD")
                {
                    return alert;
                }
            }
        }

        throw new Xunit.Sdk.XunitException("The alert stream ended.");
    }

    private sealed record Box(JsonElement Value);
}
