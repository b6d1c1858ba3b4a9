using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class VenueFaultTests(TradingAppFixture app)
{
    private async Task InjectAsync(string venue, object fault)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        using var response = await admin.PutAsJsonAsync($"/admin/venues/{venue}/fault", fault);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Clears the faults and waits until execution routes to every venue again (circuits closed or probing).</summary>
    private async Task ClearAsync(params string[] venues)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        foreach (var venue in venues)
        {
            await admin.DeleteAsync($"/admin/venues/{venue}/fault");
        }

        using var execution = app.App.CreateHttpClient(ResourceNames.Execution);
        await Eventually.True(async () =>
        {
            var seen = await execution.GetFromJsonAsync<System.Text.Json.JsonElement>("/venues");
            return seen.EnumerateArray().All(v => v.GetProperty("available").GetBoolean());
        }, TimeSpan.FromSeconds(30), "every venue to be routable again");
    }

    [Fact]
    public async Task Venues_that_are_down_are_routed_around_until_their_circuits_open()
    {
        // BTC-USD is listed everywhere; coinbase (widest spread, slowest) is almost never the first choice.
        string[] down = ["binance", "kraken"];
        foreach (var venue in down)
        {
            await InjectAsync(venue, new { down = true });
        }

        try
        {
            // One after the other, so each order routes knowing what the earlier ones learned.
            SpanView? failedAtDownVenue = null;
            SpanView? routedAround = null;
            for (var i = 0; i < 30 && (failedAtDownVenue is null || routedAround is null); i++)
            {
                var id = (await app.PostOrderAsync("test-venue-down", new { clientId = "test-venue-down", symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 0.01m }))
                    .GetProperty("orderId").GetString()!;
                var order = (await app.WaitForFinalAsync("test-venue-down", id))!.Value;
                Assert.Equal("Filled", order.GetProperty("status").GetString());
                Assert.Equal("coinbase", Assert.Single(order.GetProperty("fills").EnumerateArray()).GetProperty("venue").GetString());

                var trace = await app.WaitForTraceAsync(id, t => t.Has("order.notify") && t.Has("order.route"));
                failedAtDownVenue ??= trace.Spans.FirstOrDefault(s => s.Name == "order.execute" && down.Contains(s.Attribute("trading.venue")));
                var unavailable = trace.First("order.route").Attribute("trading.route.unavailable_venues")?.Split(',') ?? [];
                if (failedAtDownVenue is not null && unavailable.Length > 0)
                {
                    Assert.All(unavailable, v => Assert.Contains(v, down));
                    Assert.DoesNotContain(trace.Spans, s => s.Name == "order.execute" && unavailable.Contains(s.Attribute("trading.venue")));
                    routedAround = trace.First("order.route");
                }
            }

            // An order tried a down venue (an error span) before filling elsewhere, and once that
            // venue's breaker opened, routing left it out without calling it.
            Assert.NotNull(failedAtDownVenue);
            Assert.Equal("Error", failedAtDownVenue.StatusCode);
            Assert.Equal("venue_unavailable", failedAtDownVenue.Attribute("error.type"));
            Assert.NotNull(routedAround);
        }
        finally
        {
            await ClearAsync(down);
        }
    }

    [Fact]
    public async Task An_order_no_venue_can_take_before_its_time_in_force_runs_out_fails_as_expired_with_an_error_span()
    {
        // ADA-USD is listed by kraken and coinbase only.
        await InjectAsync("kraken", new { down = true });
        await InjectAsync("coinbase", new { down = true });
        try
        {
            var id = (await app.PostOrderAsync("test-all-down", new { clientId = "test-all-down", symbol = "ADA-USD", side = "SELL", type = "MARKET", quantity = 100, timeInForceSeconds = 3 }))
                .GetProperty("orderId").GetString()!;
            var order = (await app.WaitForFinalAsync("test-all-down", id))!.Value;
            Assert.Equal("Failed", order.GetProperty("status").GetString());
            Assert.Equal("expired", order.GetProperty("reason").GetString());
            Assert.Equal(0, order.GetProperty("filledQuantity").GetDecimal());
            Assert.True(order.GetProperty("endToEndMs").GetDouble() >= 3000, "it waited for its time in force");

            var trace = await app.WaitForTraceAsync(id, t => t.Has("order.notify") && t.Has("order.execute") &&
                t.Spans.Any(s => s.Name == "order.route" && s.Attribute("error.type") == "expired"));
            Assert.All(trace.Spans.Where(s => s.Name == "order.execute"), s => Assert.Equal("Error", s.StatusCode));
        }
        finally
        {
            await ClearAsync("kraken", "coinbase");
        }
    }

    [Fact]
    public async Task Venues_away_for_a_few_seconds_delay_an_order_which_fills_once_they_are_back()
    {
        await InjectAsync("kraken", new { down = true });
        await InjectAsync("coinbase", new { down = true });
        string id;
        try
        {
            id = (await app.PostOrderAsync("test-venue-back", new { clientId = "test-venue-back", symbol = "ADA-USD", side = "BUY", type = "MARKET", quantity = 10 }))
                .GetProperty("orderId").GetString()!;
            await app.WaitForTraceAsync(id, t => t.Spans.Any(s => s.Name == "order.route" && s.Attribute("trading.route.waiting_for") is not null));
            using var gateway = app.ClientFor(ResourceNames.Gateway, "test-venue-back");
            Assert.Equal("Accepted", (await gateway.GetFromJsonAsync<System.Text.Json.JsonElement>($"/orders/{id}")).GetProperty("status").GetString());
        }
        finally
        {
            await ClearAsync("kraken", "coinbase");
        }

        var order = (await app.WaitForFinalAsync("test-venue-back", id, TimeSpan.FromSeconds(45)))!.Value;
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        Assert.Equal(10m, order.GetProperty("filledQuantity").GetDecimal());
    }

    [Fact]
    public async Task A_child_order_that_times_out_is_resolved_not_sent_twice()
    {
        // SOL-USD: make every venue slower than execution's 2 s attempt timeout.
        foreach (var venue in new[] { "binance", "kraken", "coinbase" })
        {
            await InjectAsync(venue, new { extraLatencyMs = 2500 });
        }

        try
        {
            var id = (await app.PostOrderAsync("test-slow", new { clientId = "test-slow", symbol = "SOL-USD", side = "BUY", type = "MARKET", quantity = 1 }))
                .GetProperty("orderId").GetString()!;
            var order = (await app.WaitForFinalAsync("test-slow", id, TimeSpan.FromSeconds(60)))!.Value;
            Assert.Equal("Filled", order.GetProperty("status").GetString());
            Assert.Equal(1m, Assert.Single(order.GetProperty("fills").EnumerateArray()).GetProperty("quantity").GetDecimal());

            var server = app.Redis.GetServers()[0];
            var executed = 0;
            await foreach (var key in server.KeysAsync(pattern: $"venue:exec:*:{id}-*"))
            {
                if ((await app.Redis.GetDatabase().StringGetAsync(key)).ToString().Contains("\"Filled\"", StringComparison.Ordinal))
                {
                    executed++;
                }
            }

            Assert.Equal(1, executed);
        }
        finally
        {
            await ClearAsync("binance", "kraken", "coinbase");
        }
    }
}
