using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(StrategyTradingAppCollection.Name)]
public sealed class SignalTraceTests(StrategyTradingAppFixture app)
{
    [Fact]
    public async Task A_signal_s_trace_starts_from_its_quote_links_to_its_feed_session_and_holds_every_stage_of_its_order_down_to_notification()
    {
        var trace = await Eventually.Get(async () =>
        {
            var hits = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/spans/search?name={StrategySpans.Signal}&window=PT10M");
            foreach (var hit in hits.GetProperty("spans").EnumerateArray())
            {
                using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{hit.GetProperty("traceId").GetString()}");
                if (response.IsSuccessStatusCode &&
                    TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>()) is { IsCompleteFill: true } view &&
                    view.First(StrategySpans.Signal).Attribute(TradingAttributes.SignalToFillMs) is not null &&
                    view.Orphans().Count == 0) // each service exports its own batches: wait for all of them
                {
                    return view;
                }
            }

            return null;
        }, TimeSpan.FromSeconds(60), "a filled strategy.signal trace in the trace store", TimeSpan.FromMilliseconds(500));

        var root = trace.First(StrategySpans.Signal);
        Assert.Null(root.ParentSpanId);
        Assert.Equal(ResourceNames.Strategy, root.ServiceName);
        Assert.NotNull(root.Attribute(TradingAttributes.SignalQuoteVenue));
        Assert.NotNull(root.Attribute(TradingAttributes.SignalQuoteSeq));
        var quoteMicros = long.Parse(root.Attribute(TradingAttributes.SignalQuoteTimestamp)!, CultureInfo.InvariantCulture);
        Assert.True(VenueFeedProtocol.FromMicros(quoteMicros) <= root.StartTime.AddMilliseconds(1), "the quote precedes the decision");
        Assert.InRange(double.Parse(root.Attribute(TradingAttributes.SignalQuoteAgeMs)!, CultureInfo.InvariantCulture), 0, 1000);
        var tickToTrade = double.Parse(root.Attribute(TradingAttributes.TickToTradeMs)!, CultureInfo.InvariantCulture);
        var signalToFill = double.Parse(root.Attribute(TradingAttributes.SignalToFillMs)!, CultureInfo.InvariantCulture);
        Assert.True(tickToTrade > 0 && signalToFill > 0);

        // One trace: every other span hangs below the signal (gateway → risk → execution → venue → notification).
        Assert.Single(trace.Spans, s => s.ParentSpanId is null);
        Assert.Empty(trace.Orphans());
        Assert.Contains(ResourceNames.Gateway, trace.Services);
        Assert.Contains(ResourceNames.Notification, trace.Services);

        // The root links (FOLLOWS_FROM in the Jaeger view) to the marketdata span that carried the quote, in the trace of
        // that venue's feed session (open sessions are stored from their connect span on; the root comes at the disconnect).
        var jaeger = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/traces/{trace.TraceId}/jaeger");
        var linked = jaeger.GetProperty("data")[0].GetProperty("spans").EnumerateArray()
            .Single(s => s.GetProperty("spanID").GetString() == root.SpanId)
            .GetProperty("references").EnumerateArray()
            .Single(r => r.GetProperty("refType").GetString() == "FOLLOWS_FROM");
        var session = await Eventually.Get(async () =>
        {
            using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{linked.GetProperty("traceID").GetString()}");
            return response.IsSuccessStatusCode ? TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>()) : null;
        }, TimeSpan.FromSeconds(30), "the linked marketdata session trace in the trace store", TimeSpan.FromMilliseconds(500));
        Assert.Contains(session.Spans, s => s.ServiceName == ResourceNames.MarketData &&
            s.Name is MarketDataSpans.Session or MarketDataSpans.Connect &&
            s.Attribute(TradingAttributes.Venue) == root.Attribute(TradingAttributes.SignalQuoteVenue));
    }
}
