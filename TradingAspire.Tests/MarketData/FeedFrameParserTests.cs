using System.Text;
using TradingAspire.MarketData;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>The frame parser reads every message type and answers each hostile kind with its name, never an exception.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedFrameParserTests
{
    private readonly SymbolTable symbols = new(["BTC-USD", "ETH-USD"]);
    private readonly FeedFrame frame = new();

    private MalformedKind Parse(string json) => FeedFrameParser.Parse(Encoding.UTF8.GetBytes(json), symbols, frame);

    [Fact]
    public void A_quote_is_read_in_any_field_order()
    {
        var kind = Parse("""{"bid":100.5,"ask":100.75,"seq":42,"symbol":"ETH-USD","type":"quote","bidSize":1.5,"askSize":2,"ts":1700000000000000,"extra":{"a":[1,2]}}""");

        Assert.Equal(MalformedKind.None, kind);
        Assert.Equal(FeedMessageType.Quote, frame.Type);
        Assert.Equal(42, frame.Seq);
        Assert.Equal(1, frame.SymbolIndex);
        Assert.Equal(100.5m, frame.Bid);
        Assert.Equal(100.75m, frame.Ask);
        Assert.Equal(1.5m, frame.BidSize);
        Assert.Equal(2m, frame.AskSize);
        Assert.Equal(1700000000000000, frame.Timestamp);
        Assert.False(frame.Replay);
    }

    [Fact]
    public void Trades_heartbeats_replays_and_session_messages_are_read()
    {
        Assert.Equal(MalformedKind.None, Parse("""{"type":"trade","seq":3,"symbol":"BTC-USD","price":65000.1,"size":0.2,"side":"buy","ts":5,"replay":true}"""));
        Assert.Equal((FeedMessageType.Trade, 65000.1m, true), (frame.Type, frame.Price, frame.Replay));

        Assert.Equal(MalformedKind.None, Parse("""{"type":"heartbeat","lastSeq":17,"ts":9}"""));
        Assert.Equal((FeedMessageType.Heartbeat, 17L), (frame.Type, frame.LastSeq));

        Assert.Equal(MalformedKind.None, Parse("""{"type":"replay_unavailable","fromSeq":2,"toSeq":4,"oldestSeq":100}"""));
        Assert.Equal((FeedMessageType.ReplayUnavailable, 2L, 4L, 100L), (frame.Type, frame.FromSeq, frame.ToSeq, frame.OldestSeq));

        Assert.Equal(MalformedKind.None, Parse("""{"type":"login_refused","reason":"bad_token"}"""));
        Assert.Equal((FeedMessageType.LoginRefused, "bad_token"), (frame.Type, frame.Reason));

        Assert.Equal(MalformedKind.None, Parse("""{"type":"login_ok","venue":"kraken","sessionId":"s1","heartbeatMs":1000}"""));
        Assert.Equal((FeedMessageType.LoginOk, "s1", 1000), (frame.Type, frame.SessionId, frame.HeartbeatMs));
    }

    [Fact]
    public void A_snapshot_carries_its_quotes()
    {
        var kind = Parse("""{"type":"snapshot","lastSeq":9,"ts":1,"quotes":[{"symbol":"BTC-USD","bid":1,"ask":2,"bidSize":3,"askSize":4,"ts":5},{"symbol":"NOPE","bid":1,"ask":2,"ts":5}]}""");

        Assert.Equal(MalformedKind.None, kind);
        Assert.Equal(9, frame.LastSeq);
        var quote = Assert.Single(frame.Quotes);
        Assert.Equal(new SnapshotQuote(0, 1, 2, 3, 4, 5), quote);
    }

    public static TheoryData<string, MalformedKind> Hostile => new()
    {
        { "not json at all", MalformedKind.InvalidJson },
        { """{"type":"quote","seq":1""", MalformedKind.InvalidJson },
        { "[1,2,3]", MalformedKind.InvalidJson },
        { """{"type":"quote"} trailing""", MalformedKind.InvalidJson },
        { """{"type":"quote","seq":"one","symbol":"BTC-USD","bid":1,"ask":2,"ts":1}""", MalformedKind.MissingField },
        { """{"type":"teleport","seq":1}""", MalformedKind.UnknownType },
        { """{"type":42}""", MalformedKind.UnknownType },
        { """{"seq":1,"symbol":"BTC-USD"}""", MalformedKind.MissingField },
        { """{"type":"quote","seq":1,"symbol":"BTC-USD","bid":1,"ts":1}""", MalformedKind.MissingField },
        { """{"type":"trade","seq":1,"symbol":"BTC-USD","ts":1}""", MalformedKind.MissingField },
        { """{"type":"heartbeat","ts":1}""", MalformedKind.MissingField },
        { """{"type":"replay_done","fromSeq":1}""", MalformedKind.MissingField },
        { """{"type":"quote","seq":1,"symbol":"DOGE-USD","bid":1,"ask":2,"ts":1}""", MalformedKind.UnknownSymbol },
        { """{"type":"snapshot","lastSeq":1,"quotes":[{"symbol":"BTC-USD"}]}""", MalformedKind.MissingField },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_frame_is_named_by_its_kind(string json, MalformedKind expected)
    {
        Assert.Equal(expected, Parse(json));
    }

    [Fact]
    public void An_escaped_symbol_is_still_found()
    {
        Assert.Equal(MalformedKind.None, Parse("""{"type":"quote","seq":1,"symbol":"BTC\u002DUSD","bid":1,"ask":2,"ts":1}"""));
        Assert.Equal(0, frame.SymbolIndex);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(7);
        var buffer = new byte[64];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(buffer);
            var kind = FeedFrameParser.Parse(buffer.AsSpan(0, random.Next(buffer.Length)), symbols, frame);
            Assert.NotEqual(MalformedKind.None, kind);
        }
    }
}
