using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// A venue's dislocated prices trigger arbitrage while its feed is fresh; once the feed goes stale the very same
/// dislocated quotes stay in the book but trigger nothing (counted as refused), however long the strategy keeps looking.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(StrategyTradingAppCollection.Name)]
public sealed class StaleFeedSignalTests(StrategyTradingAppFixture app)
{
    private const string Venue = "binance";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dislocated_quotes_from_a_stale_feed_trigger_no_arbitrage()
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        try
        {
            // Control: while the feed is fresh, the dislocation is an opportunity the strategy acts on.
            var before = await StatsAsync();
            (await admin.PutAsJsonAsync($"/admin/venues/{Venue}/fault", new { priceOffsetBps = 60 })).EnsureSuccessStatusCode();
            await Eventually.True(async () => Arbitrages(await StatsAsync()) > Arbitrages(before), Patience, $"an arbitrage on {Venue}'s dislocation");

            // The feed goes stale (no more quotes): the dislocated quotes stay in the book, marked stale.
            var fresh = await StatsAsync();
            (await admin.PutAsJsonAsync($"/admin/venues/{Venue}/feed/fault", new { stale = true })).EnsureSuccessStatusCode();
            using var marketData = app.App.CreateHttpClient(ResourceNames.MarketData);
            await Eventually.True(async () =>
                (await marketData.GetFromJsonAsync<JsonElement>($"/feeds/{Venue}")).GetProperty("state").GetString() == FeedStates.Degraded,
                Patience, $"{Venue}'s feed to be degraded");
            var stale = await Eventually.Value<JsonElement>(async () =>
            {
                var stats = await StatsAsync();
                return Refused(stats) > Refused(fresh) ? stats : (JsonElement?)null;
            }, Patience, $"the strategy to refuse {Venue}'s stale quotes");

            // Let the strategy look at the book many times, well past its arbitrage cooldown (2 s): nothing more on binance.
            var arbitrages = Arbitrages(stale);
            var evaluations = stale.GetProperty("evaluations").GetInt64();
            var later = await Eventually.Value<JsonElement>(async () =>
            {
                var stats = await StatsAsync();
                return stats.GetProperty("evaluations").GetInt64() >= evaluations + 120 ? stats : (JsonElement?)null;
            }, Patience, "120 more evaluations of the book");
            Assert.Equal(arbitrages, Arbitrages(later));

            // And the quotes it refused are still the dislocated ones: not an absence of opportunity, a refusal.
            var book = await marketData.GetFromJsonAsync<JsonElement>($"/feeds/{Venue}/book");
            Assert.Contains(book.EnumerateArray(), q => q.GetProperty("stale").GetBoolean());
        }
        finally
        {
            await admin.DeleteAsync($"/admin/venues/{Venue}/feed/fault");
            await admin.DeleteAsync($"/admin/venues/{Venue}/fault");
        }
    }

    private async Task<JsonElement> StatsAsync()
    {
        using var strategy = app.App.CreateHttpClient(ResourceNames.Strategy);
        return await strategy.GetFromJsonAsync<JsonElement>("/strategy/stats");
    }

    private static long Arbitrages(JsonElement stats) =>
        stats.GetProperty("arbitragesByVenue").TryGetProperty(Venue, out var n) ? n.GetInt64() : 0;

    private static long Refused(JsonElement stats) =>
        stats.GetProperty("suppressed").EnumerateObject()
            .Sum(reason => reason.Value.TryGetProperty(Venue, out var n) ? n.GetInt64() : 0);
}
