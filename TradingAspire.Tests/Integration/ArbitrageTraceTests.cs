using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(StrategyTradingAppCollection.Name)]
public sealed class ArbitrageTraceTests(StrategyTradingAppFixture app)
{
    private const string DearVenue = "binance";

    [Fact]
    public async Task A_price_dislocation_between_venues_makes_one_arbitrage_trace_with_both_legs_filled_as_its_children()
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        var since = DateTimeOffset.UtcNow;
        using (var response = await admin.PutAsJsonAsync($"/admin/venues/{DearVenue}/fault", new { priceOffsetBps = 60 }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        try
        {
            // Each service exports its own batches: wait until every leg's pipeline (gateway … venue.match) has arrived.
            var trace = await FindArbitrageAsync(since, StrategySpans.Outcomes.BothFilled, view =>
                view.Spans.Count(s => s.Name == StrategySpans.ArbitrageLeg) == 2 && view.Orphans().Count == 0 &&
                view.Spans.Where(s => s.Name == StrategySpans.ArbitrageLeg).All(leg =>
                    Descendants(view, leg.SpanId) is var below && below.Any(s => s.ServiceName == ResourceNames.Gateway) && below.Any(s => s.Name == "venue.match")));

            var root = Assert.Single(trace.Spans, s => s.Name == StrategySpans.Arbitrage);
            Assert.Null(root.ParentSpanId);
            Assert.Equal(ResourceNames.Strategy, root.ServiceName);
            Assert.True(double.Parse(root.Attribute(TradingAttributes.ArbitrageExpectedEdgeBps)!, System.Globalization.CultureInfo.InvariantCulture) > 25);
            Assert.NotNull(root.Attribute(TradingAttributes.ArbitrageRealisedEdgeBps));
            Assert.NotNull(root.Attribute(TradingAttributes.ArbitrageLegSkewMs));
            Assert.NotNull(root.Attribute(TradingAttributes.SignalToFillMs));

            var legs = trace.Spans.Where(s => s.Name == StrategySpans.ArbitrageLeg).ToList();
            Assert.Equal(2, legs.Count);
            Assert.All(legs, leg =>
            {
                Assert.Equal(root.SpanId, leg.ParentSpanId);
                Assert.Equal(root.Attribute(TradingAttributes.ArbitrageId), leg.Attribute(TradingAttributes.ArbitrageId));
                Assert.Equal(nameof(OrderStatus.Filled), leg.Attribute(TradingAttributes.OrderStatus));
            });
            Assert.Equal([StrategySpans.Legs.Buy, StrategySpans.Legs.Sell], legs.Select(l => l.Attribute(TradingAttributes.ArbitrageLeg)).Order());
            Assert.Equal(DearVenue, legs.Single(l => l.Attribute(TradingAttributes.ArbitrageLeg) == StrategySpans.Legs.Sell).Attribute(TradingAttributes.Venue));

            // Each leg is the ancestor of its own order's whole pipeline, down to the venue's match.
            foreach (var leg in legs)
            {
                var below = Descendants(trace, leg.SpanId);
                Assert.Contains(below, s => s.ServiceName == ResourceNames.Gateway);
                Assert.Contains(below, s => s.Name == "venue.match");
            }

            Assert.Empty(trace.Orphans());
        }
        finally
        {
            await admin.DeleteAsync($"/admin/venues/{DearVenue}/fault");
        }
    }

    [Fact]
    public async Task A_leg_the_venue_rejects_is_one_leg_failed_and_its_exposure_is_unwound_in_the_same_trace()
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        var since = DateTimeOffset.UtcNow;
        // The dear venue quotes the dislocation but rejects every order: the sell leg fails, the bought leg is exposure.
        using (var response = await admin.PutAsJsonAsync($"/admin/venues/{DearVenue}/fault", new { priceOffsetBps = 60, rejectAll = true }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        try
        {
            var trace = await FindArbitrageAsync(since, StrategySpans.Outcomes.OneLegFailed, view => view.Has(StrategySpans.ArbitrageUnwind));

            var root = Assert.Single(trace.Spans, s => s.Name == StrategySpans.Arbitrage);
            Assert.Equal("Error", root.StatusCode);
            Assert.Contains("exposure", root.Events);
            var sell = Assert.Single(trace.Spans, s => s.Name == StrategySpans.ArbitrageLeg && s.Attribute(TradingAttributes.ArbitrageLeg) == StrategySpans.Legs.Sell);
            Assert.Equal("Error", sell.StatusCode);
            var unwind = Assert.Single(trace.Spans, s => s.Name == StrategySpans.ArbitrageUnwind);
            Assert.Equal(root.SpanId, unwind.ParentSpanId);
            Assert.Equal(StrategySpans.Legs.Unwind, unwind.Attribute(TradingAttributes.ArbitrageLeg));
            Assert.Equal(root.Attribute(TradingAttributes.ArbitrageId), unwind.Attribute(TradingAttributes.ArbitrageId));
            Assert.Equal("SELL", unwind.Attribute(TradingAttributes.Side)); // the bought leg is sold back
        }
        finally
        {
            await admin.DeleteAsync($"/admin/venues/{DearVenue}/fault");
        }
    }

    /// <summary>Polls the trace store for an arbitrage with <paramref name="outcome"/> started since <paramref name="since"/> whose trace satisfies <paramref name="complete"/>.</summary>
    private Task<TraceView> FindArbitrageAsync(DateTimeOffset since, string outcome, Func<TraceView, bool> complete) =>
        Eventually.Get(async () =>
        {
            var url = $"/api/spans/search?name={StrategySpans.Arbitrage}&from={Uri.EscapeDataString(since.UtcDateTime.ToString("O"))}" +
                      $"&attr={Uri.EscapeDataString($"{TradingAttributes.ArbitrageOutcome}={outcome}")}";
            var hits = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>(url);
            foreach (var hit in hits.GetProperty("spans").EnumerateArray())
            {
                using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{hit.GetProperty("traceId").GetString()}");
                if (response.IsSuccessStatusCode &&
                    TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>()) is { } view && complete(view))
                {
                    return view;
                }
            }

            return null;
        }, TimeSpan.FromSeconds(90), $"an arbitrage trace ({outcome}) in the trace store", TimeSpan.FromMilliseconds(500));

    private static List<SpanView> Descendants(TraceView trace, string spanId)
    {
        var found = new List<SpanView>();
        var frontier = new Queue<string>([spanId]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in trace.Spans.Where(s => s.ParentSpanId == parent))
            {
                found.Add(child);
                frontier.Enqueue(child.SpanId);
            }
        }

        return found;
    }
}
