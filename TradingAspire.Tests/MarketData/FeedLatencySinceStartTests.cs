using HdrHistogram;
using TradingAspire.MarketData;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>The latency since start (<c>GET /feeds/{venue}/latency</c>) keeps what the health reports' intervals took.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedLatencySinceStartTests
{
    [Fact]
    public void Since_start_holds_closed_intervals_and_the_current_one()
    {
        var latency = new FeedLatency();
        latency.Record(1_000);
        latency.Record(2_000);
        latency.TakeInterval();
        latency.Record(9_000);

        var since = latency.SinceStart();
        Assert.Equal(3, since.TotalCount);
        Assert.InRange(since.GetMaxValue(), 9_000, 9_010);

        var view = FeedLatencyView.From("kraken", since);
        Assert.Equal(3, view.Count);
        Assert.Equal(3, view.Buckets.Sum(b => b[1]));
        Assert.Equal(2.0, view.P50Ms!.Value, 1);
    }

    [Fact]
    public void Nothing_recorded_gives_an_empty_view()
    {
        var view = FeedLatencyView.From("kraken", new FeedLatency().SinceStart());
        Assert.Equal(0, view.Count);
        Assert.Null(view.P99Ms);
        Assert.Empty(view.Buckets);
    }
}
