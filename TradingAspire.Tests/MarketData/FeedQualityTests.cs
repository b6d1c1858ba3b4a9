using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketData;
using TradingAspire.MarketPrices;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>
/// What one session makes of the frames (no sockets): latency, crossed quotes, future timestamps, gap
/// recovery by replay or snapshot, the book, and the feed's state.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedQualityTests
{
    private readonly long Now = VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow);
    private readonly MarketDataOptions options = new();
    private readonly FeedRegistry registry = new();
    private readonly VenueFeed feed;
    private readonly FeedFrame frame = new();

    public FeedQualityTests()
    {
        feed = registry.Add("kraken", ["BTC-USD", "ETH-USD"]);
    }

    private FeedSession NewSession()
    {
        var telemetry = new FeedTelemetry(registry, Options.Create(options));
        return new FeedSession(feed, telemetry, options, null, NullLogger.Instance);
    }

    private FeedRequest Quote(FeedSession session, long seq, decimal bid, decimal ask, long ts, bool replay = false, string symbol = "BTC-USD")
    {
        frame.Reset();
        frame.Type = FeedMessageType.Quote;
        frame.Seq = seq;
        frame.SymbolIndex = feed.Symbols.Symbols.ToList().IndexOf(symbol);
        frame.Bid = bid;
        frame.Ask = ask;
        frame.Timestamp = ts;
        frame.Replay = replay;
        return session.OnFrame(frame, Now);
    }

    private FeedRequest Control(FeedSession session, FeedMessageType type, long from = 0, long to = 0, long lastSeq = 0)
    {
        frame.Reset();
        frame.Type = type;
        frame.FromSeq = from;
        frame.ToSeq = to;
        frame.LastSeq = lastSeq;
        return session.OnFrame(frame, Now);
    }

    [Fact]
    public void Feed_latency_is_receive_time_minus_the_venue_timestamp()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now - 5_000);
        Quote(session, 2, 10, 11, Now - 7_000);
        Quote(session, 3, 10, 11, Now + 200); // a clock a little ahead: latency 0, still used

        var (p50, p99, max) = feed.Latency.TakeInterval();
        Assert.Equal(5.0, p50!.Value, 2);
        Assert.Equal(7.0, max!.Value, 2);
        Assert.Equal(7.0, p99!.Value, 2);
        Assert.Equal((null, null, null), feed.Latency.TakeInterval());
        Assert.Equal(0, FeedLatency.Micros(Now + 10, Now));
    }

    [Fact]
    public void A_crossed_quote_is_counted_and_not_used()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        Quote(session, 2, 12, 12, Now);
        Quote(session, 3, 13, 12, Now);

        Assert.Equal(2, feed.Counters.CrossedQuotes);
        Assert.Equal(10m, Assert.Single(feed.Book.Snapshot(false, 0)).Bid);
    }

    [Fact]
    public void A_timestamp_beyond_the_tolerance_in_the_future_is_malformed_and_not_used()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now + (long)options.FutureTolerance.TotalMicroseconds + 1_000_000);

        Assert.Equal(1, feed.Counters.Malformed[(int)MalformedKind.FutureTimestamp]);
        Assert.Empty(feed.Book.Snapshot(false, 0));
        Assert.Equal((null, null, null), feed.Latency.TakeInterval());
    }

    [Fact]
    public void A_gap_asks_for_a_replay_and_is_recovered_when_every_message_comes_back()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        var request = Quote(session, 5, 10, 11, Now);

        Assert.Equal(FeedRequest.Replay(2, 4), request);
        Assert.Equal((1L, 3L), (feed.Counters.Gaps, feed.Counters.GapMessages));
        Assert.True(feed.GapWithin(TimeSpan.FromSeconds(10)));
        foreach (var seq in new long[] { 2, 3, 4 })
        {
            Assert.Equal(FeedRequest.None, Quote(session, seq, 9, 10, Now - 1, replay: true));
        }

        Assert.Equal(FeedRequest.None, Control(session, FeedMessageType.ReplayDone, 2, 4));
        Assert.Equal((1L, 0L), (feed.Counters.GapsRecovered, feed.Counters.GapsUnrecovered));
        Assert.Equal(10m, Assert.Single(feed.Book.Snapshot(false, 0)).Bid); // older replayed quotes never overwrite newer ones
    }

    [Fact]
    public void An_unavailable_replay_asks_for_a_snapshot_and_the_gap_is_not_recovered()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        Quote(session, 4, 10, 11, Now);

        Assert.Equal(FeedRequest.Snapshot, Control(session, FeedMessageType.ReplayUnavailable, 2, 3));
        Assert.Equal((0L, 1L), (feed.Counters.GapsRecovered, feed.Counters.GapsUnrecovered));

        frame.Reset();
        frame.Type = FeedMessageType.Snapshot;
        frame.LastSeq = 6;
        frame.Quotes.Add(new SnapshotQuote(1, 20, 21, 1, 1, Now));
        Assert.Equal(FeedRequest.None, session.OnFrame(frame, Now));
        Assert.Equal(20m, feed.Book.Snapshot(false, 0).Single(q => q.Symbol == "ETH-USD").Bid);
        Assert.Equal(SequenceOutcome.InOrder, session.Sequence.OnMessage(7, false));
    }

    [Fact]
    public void A_replay_that_does_not_come_in_time_is_replaced_by_a_snapshot()
    {
        options.ReplayTimeout = TimeSpan.Zero;
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        Quote(session, 3, 10, 11, Now);

        Assert.Equal(FeedRequest.Snapshot, Control(session, FeedMessageType.Heartbeat, lastSeq: 3));
        Assert.Equal(FeedRequest.None, Control(session, FeedMessageType.Heartbeat, lastSeq: 3));
        frame.Reset();
        frame.Type = FeedMessageType.Snapshot;
        frame.LastSeq = 3;
        session.OnFrame(frame, Now);
        Assert.Equal((1L, 0L, 1L), (feed.Counters.Gaps, feed.Counters.GapsRecovered, feed.Counters.GapsUnrecovered));
    }

    [Fact]
    public void A_heartbeat_revealing_lost_tail_messages_asks_for_their_replay()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        Assert.Equal(FeedRequest.Replay(2, 4), Control(session, FeedMessageType.Heartbeat, lastSeq: 4));
    }

    [Fact]
    public void Numbers_going_backwards_are_counted_out_of_order()
    {
        var session = NewSession();
        Quote(session, 1, 10, 11, Now);
        Quote(session, 2, 10, 11, Now);
        Quote(session, 1, 10, 11, Now);

        Assert.Equal(1, feed.Counters.OutOfOrder);
        Assert.Equal(0, feed.Counters.Gaps);
    }

    [Fact]
    public void With_monitoring_off_only_the_book_is_updated()
    {
        options.Monitoring.Enabled = false;
        var session = NewSession();
        Quote(session, 1, 10, 11, Now - 5000);
        Assert.Equal(FeedRequest.None, Quote(session, 9, 12, 13, Now));

        Assert.Equal(0, feed.Counters.Gaps);
        Assert.Equal((null, null, null), feed.Latency.TakeInterval());
        Assert.Equal(12m, Assert.Single(feed.Book.Snapshot(false, 0)).Bid);
    }

    [Fact]
    public void A_feed_is_down_until_subscribed_degraded_while_symbols_are_stale_or_it_gapped_and_up_otherwise()
    {
        var stale = TimeSpan.FromSeconds(2);
        var gapWindow = TimeSpan.FromSeconds(10);
        Assert.Equal(FeedStates.Down, feed.State(stale, gapWindow));

        feed.SessionSubscribed();
        Assert.Equal(FeedStates.Degraded, feed.State(stale, gapWindow)); // nothing quoted yet
        var session = NewSession();
        Quote(session, 1, 10, 11, Now, symbol: "BTC-USD");
        Quote(session, 2, 10, 11, Now, symbol: "ETH-USD");
        Assert.Equal(FeedStates.Up, feed.State(stale, gapWindow));
        Assert.Equal(FeedStates.Degraded, feed.State(TimeSpan.FromSeconds(-1), gapWindow)); // every quote older than StaleAfter

        Quote(session, 5, 10, 11, Now);
        Assert.Equal(FeedStates.Degraded, feed.State(stale, gapWindow));
        Assert.Equal(FeedStates.Up, feed.State(stale, TimeSpan.Zero));

        feed.SessionEnded("closed");
        Assert.Equal(FeedStates.Down, feed.State(stale, gapWindow));
        Assert.Equal("closed", feed.LastDisconnectReason);
    }

    [Fact]
    public void The_book_publishes_a_quote_once_per_change_and_again_when_it_turns_stale()
    {
        var book = feed.Book;
        var changed = new List<BookQuote>();
        book.Update(0, 10, 11, 1, 1, Now, Now);

        book.CollectChanges(false, Now - 1, changed);
        Assert.False(Assert.Single(changed).Stale);
        changed.Clear();
        book.CollectChanges(false, Now - 1, changed);
        Assert.Empty(changed);

        book.CollectChanges(false, Now + 1, changed);
        Assert.True(Assert.Single(changed).Stale);
        changed.Clear();
        book.CollectChanges(true, Now - 1, changed);
        Assert.Empty(changed); // still stale (feed down): nothing new

        book.CollectChanges(false, Now - 1, changed);
        Assert.False(Assert.Single(changed).Stale);
    }
}
