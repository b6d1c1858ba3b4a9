using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketData;
using TradingAspire.MarketPrices;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>
/// Each published quote carries the context of the marketdata span that carried it: the sampled message's span, else
/// the connection's session span (one string per session); an untraced feed's quotes carry nothing, and their JSON is
/// unchanged.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class QuoteTraceContextTests : IDisposable
{
    private readonly long now = VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow);
    private readonly MarketDataOptions options = new();
    private readonly FeedRegistry registry = new();
    private readonly VenueFeed feed;
    private readonly FeedTelemetry telemetry;
    private readonly FeedFrame frame = new();
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;
    private Activity? sessionSpan;

    public QuoteTraceContextTests()
    {
        feed = registry.Add("kraken", ["BTC-USD", "ETH-USD"]);
        telemetry = new FeedTelemetry(registry, Options.Create(options));
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FeedTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        sessionSpan?.Dispose();
        listener.Dispose();
        telemetry.Dispose();
    }

    private (FeedSession Session, Activity Span) TracedSession(int sampleEvery)
    {
        options.Tracing.MessageSampleEvery = sampleEvery;
        var span = sessionSpan = telemetry.Source.StartActivity(MarketDataSpans.Session, ActivityKind.Client, parentContext: default)!;
        return (new FeedSession(feed, telemetry, options, span, NullLogger.Instance), span);
    }

    private void Quote(FeedSession session, long seq, string symbol)
    {
        frame.Reset();
        frame.Type = FeedMessageType.Quote;
        frame.Seq = seq;
        frame.SymbolIndex = symbol == "BTC-USD" ? 0 : 1;
        frame.Bid = 100 + seq;
        frame.Ask = 101 + seq;
        frame.Timestamp = now;
        session.OnFrame(frame, now);
    }

    private Dictionary<string, BookQuote> Published()
    {
        var changed = new List<BookQuote>();
        feed.Book.CollectChanges(feedDown: false, staleBeforeMicros: 0, changed);
        return changed.ToDictionary(q => q.Symbol);
    }

    private static string TraceParentOf(ActivityContext context) => $"00-{context.TraceId}-{context.SpanId}-01";

    [Fact]
    public void Quotes_of_unsampled_messages_carry_the_session_span_formatted_once_per_session()
    {
        var (session, span) = TracedSession(sampleEvery: 1000);
        Quote(session, 1, "BTC-USD");
        Quote(session, 2, "ETH-USD");

        var quotes = Published();
        Assert.Equal(TraceParentOf(span.Context), quotes["BTC-USD"].TraceParent);
        Assert.Same(quotes["BTC-USD"].TraceParent, quotes["ETH-USD"].TraceParent);
        Assert.True(quotes["ETH-USD"].TryGetMarketDataContext(out var context));
        Assert.Equal((span.TraceId, span.SpanId), (context.TraceId, context.SpanId));

        Quote(session, 3, "BTC-USD");
        Assert.Same(quotes["ETH-USD"].TraceParent, Published()["BTC-USD"].TraceParent);
    }

    [Fact]
    public void A_sampled_message_s_quote_carries_its_message_span_and_the_next_unsampled_one_the_session_again()
    {
        var (session, span) = TracedSession(sampleEvery: 2);
        Quote(session, 1, "BTC-USD");
        Quote(session, 2, "ETH-USD"); // the second message: sampled

        var message = Assert.Single(stopped, a => a.TraceId == span.TraceId && a.OperationName == MarketDataSpans.Message);
        Assert.Equal(span.SpanId, message.ParentSpanId);
        var quotes = Published();
        Assert.Equal(TraceParentOf(span.Context), quotes["BTC-USD"].TraceParent);
        Assert.Equal(TraceParentOf(message.Context), quotes["ETH-USD"].TraceParent);

        Quote(session, 3, "ETH-USD");
        Assert.Equal(TraceParentOf(span.Context), Published()["ETH-USD"].TraceParent);
    }

    [Fact]
    public void Unsampled_quotes_of_a_traced_session_allocate_nothing_for_their_context()
    {
        var (session, _) = TracedSession(sampleEvery: 1_000_000);
        Quote(session, 1, "BTC-USD"); // first-call costs out of the way

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var seq = 2; seq <= 10_000; seq++)
        {
            Quote(session, seq, seq % 2 == 0 ? "ETH-USD" : "BTC-USD");
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024);
    }

    [Fact]
    public void The_context_travels_in_the_published_json_to_the_reader()
    {
        var (session, span) = TracedSession(sampleEvery: 1000);
        Quote(session, 1, "BTC-USD");

        var payload = JsonSerializer.Serialize(Published().Values.ToList(), TradingJson.Options);
        var read = Assert.Single(JsonSerializer.Deserialize<BookQuote[]>(payload, TradingJson.Options)!);
        Assert.True(read.TryGetMarketDataContext(out var context));
        Assert.Equal((span.TraceId, span.SpanId), (context.TraceId, context.SpanId));
    }

    [Fact]
    public void An_untraced_feed_s_quotes_carry_no_context_and_their_json_is_unchanged()
    {
        options.Tracing.MessageSampleEvery = 1;
        var session = new FeedSession(feed, telemetry, options, null, NullLogger.Instance);
        Quote(session, 1, "BTC-USD");

        var quote = Published()["BTC-USD"];
        Assert.Null(quote.TraceParent);
        Assert.False(quote.TryGetMarketDataContext(out _));
        var json = JsonSerializer.Serialize(quote, TradingJson.Options);
        Assert.DoesNotContain("traceParent", json, StringComparison.OrdinalIgnoreCase);

        // A quote written before the field existed (no traceParent) still reads, with no context.
        Assert.Null(JsonSerializer.Deserialize<BookQuote>(json, TradingJson.Options)!.TraceParent);
    }
}
