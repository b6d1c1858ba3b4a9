using TradingAspire.Exchanges;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Exchanges;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class VenuePriceOffsetTests
{
    [Fact]
    public void A_price_offset_fault_moves_only_its_venue_s_quotes_by_that_many_basis_points_until_cleared()
    {
        var faults = new VenueFaults();
        var walk = new PriceWalk(seed: 7, faults);
        var venue = new VenueOptions { Symbols = ["BTC-USD"], SpreadBps = 4 };
        var before = walk.Quote("binance", "BTC-USD", venue);
        var other = walk.Quote("kraken", "BTC-USD", venue);

        faults.Set("binance", new VenueFault(PriceOffsetBps: 60));
        var moved = walk.Quote("binance", "BTC-USD", venue);

        var shiftBps = (double)((moved.Bid + moved.Ask - before.Bid - before.Ask) / (before.Bid + before.Ask)) * 10_000;
        Assert.InRange(shiftBps, 59.9, 60.1);
        Assert.Equal(other, walk.Quote("kraken", "BTC-USD", venue));

        faults.Clear("binance");
        Assert.Equal(before, walk.Quote("binance", "BTC-USD", venue));
    }
}
