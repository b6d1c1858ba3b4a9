using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>Tail sampling keeps every market-data feed session, whatever the share: the feed-health view links to each.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedSessionKeepTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Every trace is ordinary to this judge: only the feed rule can keep it at share 0.</summary>
    private sealed class NormalJudge : ILatencyJudge
    {
        public LatencyVerdict EndToEnd(string rootName, long durationNanos) => LatencyVerdict.Normal;

        public LatencyVerdict Stage(string stageName, long durationNanos) => LatencyVerdict.Normal;
    }

    private static SpanRecord Span(int trace, int n, string name, string parent = "") => new()
    {
        Timestamp = Start.AddSeconds(n),
        TraceId = SampleTraces.TraceId(trace),
        SpanId = SampleTraces.SpanId(trace, n),
        ParentSpanId = parent,
        SpanName = name,
        ServiceName = "marketdata",
        SpanAttributes = new Dictionary<string, string> { [TradingAttributes.Venue] = "binance" },
        DurationNanos = 1_000_000,
    };

    public static TheoryData<string, Func<int, SpanRecord[]>> FeedTraces() => new()
    {
        { "an ended session: root and connect", n => [Span(n, 0, MarketDataSpans.Session), Span(n, 1, MarketDataSpans.Connect, SampleTraces.SpanId(n, 0))] },
        { "a session root alone", n => [Span(n, 0, MarketDataSpans.Session)] },
        { "an open session: its connect span only", n => [Span(n, 1, MarketDataSpans.Connect, SampleTraces.SpanId(n, 0))] },
        { "a gap recovery of an open session", n => [Span(n, 2, MarketDataSpans.GapRecovery, SampleTraces.SpanId(n, 0))] },
        { "sampled messages of a session decided long ago", n => [Span(n, 3, MarketDataSpans.Message, SampleTraces.SpanId(n, 0))] },
    };

    [Theory]
    [MemberData(nameof(FeedTraces))]
    public void Feed_session_traces_are_always_kept_with_weight_one(string why, Func<int, SpanRecord[]> trace)
    {
        var policy = new TraceKeepPolicy(keepShare: 0, []);
        for (var n = 0; n < 50; n++)
        {
            var spans = trace(n);
            var reason = policy.Decide(spans[0].TraceId, spans, new NormalJudge());
            Assert.True(reason == KeepReason.FeedSession, $"{why}: trace {n} was {reason}");
            Assert.True(reason.IsAlwaysKept());
            Assert.Equal(1, policy.WeightOf(reason));
        }

        Assert.Equal("feed_session", KeepReason.FeedSession.Name());
    }

    [Fact]
    public void An_ordinary_order_trace_is_not_a_feed_session()
    {
        var policy = new TraceKeepPolicy(keepShare: 0, []);
        var order = SampleTraces.Order(7, Start);

        Assert.False(TraceKeepPolicy.IsFeedSession(order));
        Assert.Equal(KeepReason.SampledOut, policy.Decide(order[0].TraceId, order, new NormalJudge()));
    }
}
