using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using TradingAspire.ServiceDefaults;
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

    /// <summary>Takes venues down and waits until routing sees it: their feeds dropped, none of their quotes usable.</summary>
    private async Task TakeDownAsync(params string[] venues)
    {
        foreach (var venue in venues)
        {
            await InjectAsync(venue, new { down = true });
        }

        await WaitForVenuesAsync(v => !venues.Contains(v.GetProperty("name").GetString()) || !v.GetProperty("quoting").GetBoolean(),
            $"{string.Join(" and ", venues)} to have no usable quote at execution");
    }

    /// <summary>Clears the faults and waits until execution routes to every venue again (circuits closed or probing, quotes fresh).</summary>
    private async Task ClearAsync(params string[] venues)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        foreach (var venue in venues)
        {
            await admin.DeleteAsync($"/admin/venues/{venue}/fault");
        }

        await WaitForVenuesAsync(v => v.GetProperty("available").GetBoolean() && v.GetProperty("quoting").GetBoolean(), "every venue to be routable again");
    }

    private async Task WaitForVenuesAsync(Func<System.Text.Json.JsonElement, bool> each, string what)
    {
        using var execution = app.App.CreateHttpClient(ResourceNames.Execution);
        await Eventually.True(async () =>
        {
            var seen = await execution.GetFromJsonAsync<System.Text.Json.JsonElement>("/venues");
            return seen.GetArrayLength() > 0 && seen.EnumerateArray().All(each);
        }, TimeSpan.FromSeconds(45), what);
    }

    [Fact]
    public async Task Venues_that_are_down_drop_their_feeds_and_are_routed_around_without_being_called()
    {
        // BTC-USD is listed everywhere; coinbase (widest spread, slowest) is almost never the first choice.
        string[] down = ["binance", "kraken"];
        await TakeDownAsync(down);
        try
        {
            var id = (await app.PostOrderAsync("test-venue-down", new { clientId = "test-venue-down", symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 0.01m }))
                .GetProperty("orderId").GetString()!;
            var order = (await app.WaitForFinalAsync("test-venue-down", id))!.Value;
            Assert.Equal("Filled", order.GetProperty("status").GetString());
            Assert.Equal("coinbase", Assert.Single(order.GetProperty("fills").EnumerateArray()).GetProperty("venue").GetString());

            // The feeds told the router before any order could fail there: the down venues are named stale on the
            // route span, and no child order was sent to them.
            var trace = await app.WaitForTraceAsync(id, t => t.IsCompleteFill);
            var route = trace.First("order.route");
            Assert.Equal(down.Order(), route.Attribute(TradingAttributes.StaleVenues)!.Split(',').Order());
            Assert.Equal("coinbase", route.Attribute(TradingAttributes.Venue));
            Assert.DoesNotContain(trace.Spans, s => s.Name == "order.execute" && down.Contains(s.Attribute(TradingAttributes.Venue)));
            Assert.All(trace.Spans.Where(s => s.Name == "order.execute"), s => Assert.NotEqual("Error", s.StatusCode));
        }
        finally
        {
            await ClearAsync(down);
        }
    }

    [Fact]
    public async Task An_order_no_venue_can_price_before_its_time_in_force_runs_out_waits_at_risk_and_is_rejected_with_an_error_span()
    {
        // ADA-USD is listed by kraken and coinbase only: with both down, no venue has a price for it.
        await TakeDownAsync("kraken", "coinbase");
        try
        {
            var id = (await app.PostOrderAsync("test-all-down", new { clientId = "test-all-down", symbol = "ADA-USD", side = "SELL", type = "MARKET", quantity = 100, timeInForceSeconds = 3 }))
                .GetProperty("orderId").GetString()!;
            var order = (await app.WaitForFinalAsync("test-all-down", id))!.Value;
            Assert.Equal("Rejected", order.GetProperty("status").GetString());
            Assert.StartsWith("no_reference_price", order.GetProperty("reason").GetString());
            Assert.Equal(0, order.GetProperty("filledQuantity").GetDecimal());
            Assert.True(order.GetProperty("endToEndMs").GetDouble() >= 3000, "it waited for its time in force");

            // Risk waited for a price (risk.check spans marked waiting_for=price), then rejected; nothing was routed.
            var trace = await app.WaitForTraceAsync(id, t => t.Has("order.notify") &&
                t.Spans.Any(s => s.Name == "risk.check" && s.Attribute(TradingAttributes.RiskReason) == "no_reference_price"));
            Assert.Contains(trace.Spans, s => s.Name == "risk.check" && s.Attribute(TradingAttributes.RiskWaitingFor) == "price");
            Assert.Equal("Error", trace.Spans.Single(s => s.Name == "risk.check" && s.Attribute(TradingAttributes.RiskReason) is not null).StatusCode);
            Assert.False(trace.Has("order.route"));
        }
        finally
        {
            await ClearAsync("kraken", "coinbase");
        }
    }

    [Fact]
    public async Task Venues_away_for_a_few_seconds_delay_an_order_which_fills_once_they_are_back()
    {
        await TakeDownAsync("kraken", "coinbase");
        string id;
        try
        {
            id = (await app.PostOrderAsync("test-venue-back", new { clientId = "test-venue-back", symbol = "ADA-USD", side = "BUY", type = "MARKET", quantity = 10 }))
                .GetProperty("orderId").GetString()!;
            // No venue has a price for it: risk waits for one (as execution waits for venues that are away).
            await app.WaitForTraceAsync(id, t => t.Spans.Any(s => s.Name == "risk.check" && s.Attribute(TradingAttributes.RiskWaitingFor) == "price"));
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
