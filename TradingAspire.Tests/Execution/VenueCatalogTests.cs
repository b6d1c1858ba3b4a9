using TradingAspire.Execution;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Execution;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class VenueCatalogTests
{
    [Fact]
    public void A_venue_that_was_slow_once_fades_back_toward_the_prior_instead_of_being_starved()
    {
        var clock = new ManualClock();
        var catalog = new VenueCatalog(clock, new FixedOptions<ExecutionOptions>(new ExecutionOptions { UnknownVenueLatencyMs = 30, LatencyMemory = TimeSpan.FromSeconds(30) }), new TradingAspire.MarketPrices.ConsolidatedBook());
        Assert.Null(catalog.LatencyMs("kraken"));

        catalog.ObserveLatency("kraken", 2030);
        Assert.Equal(2030, catalog.LatencyMs("kraken")!.Value, 3);

        clock.Now += TimeSpan.FromSeconds(30);
        Assert.Equal(1030, catalog.LatencyMs("kraken")!.Value, 3);

        clock.Now += TimeSpan.FromMinutes(10);
        Assert.InRange(catalog.LatencyMs("kraken")!.Value, 30, 31);

        catalog.ObserveLatency("kraken", 20);
        Assert.InRange(catalog.LatencyMs("kraken")!.Value, 27, 29); // 0.8 × ~30 + 0.2 × 20
    }
}
