using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;
using static TradingAspire.Tests.Strategy.StrategyQuotes;

namespace TradingAspire.Tests.Strategy;

/// <summary>
/// A signal's and an arbitrage's root span link to the marketdata spans that carried their quotes (the context each
/// quote carries), with the link's reason, venue and feed sequence; a quote without a context gives no link. The gateway
/// answers 503, so each order ends at once.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class QuoteLinkTests : IDisposable
{
    private readonly ServiceTelemetry telemetry = new("QuoteLinkTests");
    private readonly Fixed<StrategyOptions> options = new(new StrategyOptions());
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;
    private readonly GatewayOrders gateway;

    public QuoteLinkTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        gateway = new GatewayOrders(new BusyGateway(), new Fixed<ClientAuthOptions>(new ClientAuthOptions()), options, NullLogger<GatewayOrders>.Instance);
    }

    public void Dispose()
    {
        listener.Dispose();
        telemetry.Source.Dispose();
        telemetry.Meter.Dispose();
    }

    private static ActivityContext MarketDataSpan() =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

    private static string TraceParentOf(ActivityContext context) => $"00-{context.TraceId}-{context.SpanId}-01";

    private async Task<Activity> SignalSpan(BookQuote quote)
    {
        var runner = new SignalRunner(telemetry, gateway, new StrategyMetrics(telemetry), options, NullLogger<SignalRunner>.Instance);
        await runner.RunAsync(new DirectionalSignal(quote, OrderSide.Buy, 0.8), 1, CancellationToken.None);
        return Assert.Single(stopped, a => a.OperationName == StrategySpans.Signal);
    }

    [Fact]
    public async Task A_signal_s_root_links_to_the_marketdata_span_that_carried_its_quote()
    {
        var marketData = MarketDataSpan();
        var span = await SignalSpan(Quote("kraken", 100m, 101m, seq: 42, traceParent: TraceParentOf(marketData)));

        Assert.Equal(default, span.ParentSpanId);
        var link = Assert.Single(span.Links);
        Assert.Equal((marketData.TraceId, marketData.SpanId), (link.Context.TraceId, link.Context.SpanId));
        var tags = link.Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(StrategySpans.TriggeringQuoteLink, tags[TradingAttributes.LinkReason]);
        Assert.Equal("kraken", tags[TradingAttributes.Venue]);
        Assert.Equal("BTC-USD", tags[TradingAttributes.Symbol]);
        Assert.Equal(42L, tags[TradingAttributes.SignalQuoteSeq]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-traceparent")]
    public async Task A_quote_without_a_valid_context_gives_the_signal_no_link(string? traceParent)
    {
        var span = await SignalSpan(Quote("kraken", 100m, 101m, seq: 42, traceParent: traceParent));

        Assert.Empty(span.Links);
        Assert.Equal("kraken", span.GetTagItem(TradingAttributes.SignalQuoteVenue));
    }

    [Fact]
    public async Task An_arbitrage_root_links_to_both_venues_marketdata_spans_each_with_its_leg()
    {
        var buyContext = MarketDataSpan();
        var sellContext = MarketDataSpan();
        var buy = Quote("kraken", 99m, 100m, seq: 7, traceParent: TraceParentOf(buyContext));
        var sell = Quote("binance", 101m, 102m, seq: 9, traceParent: TraceParentOf(sellContext));
        var runner = new ArbitrageRunner(telemetry, gateway, new StrategyMetrics(telemetry), options, NullLogger<ArbitrageRunner>.Instance);

        await runner.RunAsync(new ArbitrageOpportunity("BTC-USD", buy, sell, 1, 100, 10, 90, 0.9m), CancellationToken.None);

        var root = Assert.Single(stopped, a => a.OperationName == StrategySpans.Arbitrage);
        var links = root.Links.ToDictionary(l => (string)l.Tags!.Single(t => t.Key == TradingAttributes.ArbitrageLeg).Value!);
        Assert.Equal(2, links.Count);
        Assert.Equal((buyContext.TraceId, buyContext.SpanId), (links[StrategySpans.Legs.Buy].Context.TraceId, links[StrategySpans.Legs.Buy].Context.SpanId));
        Assert.Equal((sellContext.TraceId, sellContext.SpanId), (links[StrategySpans.Legs.Sell].Context.TraceId, links[StrategySpans.Legs.Sell].Context.SpanId));
        Assert.Contains(links[StrategySpans.Legs.Sell].Tags!, t => t.Key == TradingAttributes.Venue && (string?)t.Value == "binance");
        Assert.All(stopped.Where(a => a.OperationName == StrategySpans.ArbitrageLeg), leg => Assert.Empty(leg.Links));
    }

    private sealed class Fixed<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    /// <summary>A gateway that answers every order 503, so the runner's order ends at once (not accepted).</summary>
    private sealed class BusyGateway : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Busy()) { BaseAddress = new Uri("http://gateway") };

        private sealed class Busy : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
