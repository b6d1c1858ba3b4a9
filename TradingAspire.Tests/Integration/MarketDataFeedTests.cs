using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// The venue feeds on the real AppHost: faults injected at a venue (exchanges' admin API) and what the marketdata
/// service, its traces in the trace store, its health check on the dashboard and the router make of them.
/// Each test uses its own venue, or restores the venue before it ends.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class MarketDataFeedTests(TradingAppFixture app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    /// <summary>The session's disconnect reason when the venue answers the login with <c>login_refused</c>.</summary>
    private const string LoginRefused = "login_refused";

    /// <summary>The disconnect reason when the venue drops the connection without a close handshake.</summary>
    private const string ConnectionLost = "connection_lost";

    [Fact]
    public async Task A_forced_disconnect_gives_a_disconnected_event_a_reconnect_and_a_resubscribe_and_no_permanent_gap()
    {
        const string venue = "kraken";
        var before = await SubscribedFeedAsync(venue);
        var oldSession = before.GetProperty("sessionId").GetString()!;
        var oldTrace = before.GetProperty("sessionTraceId").GetString()!;

        var disconnected = await AdminPostAsync<FeedActionResult>(VenueFeedAdmin.DisconnectPath(venue), new { });
        Assert.True(disconnected.Connections >= 1, "the venue closed marketdata's connection");

        // A new session, subscribed again, after one more disconnect and one more reconnect.
        var after = await Eventually.Value<JsonElement>(async () =>
        {
            var feed = await FeedAsync(venue);
            return feed.GetProperty("sessionId").GetString() is { } id && id != oldSession && feed.GetProperty("state").GetString() == FeedStates.Up
                ? feed : (JsonElement?)null;
        }, Patience, $"{venue}'s feed to be up on a new session");
        Assert.Equal(Counter(before, "disconnects") + 1, Counter(after, "disconnects"));
        Assert.Equal(Counter(before, "reconnects") + 1, Counter(after, "reconnects"));
        // The venue aborts the connection (no close handshake): an abrupt loss, not a close.
        Assert.Equal(ConnectionLost, after.GetProperty("lastDisconnectReason").GetString());

        // The venue sees the new connection logged in and subscribed to every symbol it lists.
        var status = await Eventually.Get(async () =>
        {
            var seen = await AdminGetAsync<VenueFeedStatus>(VenueFeedAdmin.StatusPath(venue));
            return seen.Connections.Any(c => c.LoggedIn && c.Symbols.Count > 0) ? seen : null;
        }, Patience, $"a logged-in, subscribed connection at {venue}");
        var symbols = after.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!).ToHashSet();
        Assert.Contains(status.Connections, c => c.LoggedIn && c.Symbols.ToHashSet().SetEquals(symbols));

        // No permanent gap: nothing unrecovered, and fresh quotes for every symbol on the new session.
        Assert.Equal(Counter(before, "gapsNotRecovered"), Counter(after, "gapsNotRecovered"));
        await Eventually.True(async () =>
        {
            var book = await app.App.CreateHttpClient(ResourceNames.MarketData).GetFromJsonAsync<JsonElement>($"/feeds/{venue}/book");
            var fresh = VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow.AddSeconds(-2));
            return book.EnumerateArray().Where(q => q.GetProperty("venueMicros").GetInt64() > fresh).Select(q => q.GetProperty("symbol").GetString()!)
                .ToHashSet().SetEquals(symbols);
        }, Patience, $"fresh quotes for every symbol of {venue} after the reconnect");

        // The old session's trace: its lifecycle as events, ended by the lost connection, marked as an error.
        var session = await SessionSpanAsync(oldTrace, s => s.Events.Contains(MarketDataSpans.Events.Disconnected));
        Assert.Equal(
            [MarketDataSpans.Events.Connecting, MarketDataSpans.Events.Connected, MarketDataSpans.Events.Authenticated, MarketDataSpans.Events.Subscribed],
            session.Events.Where(e => e is MarketDataSpans.Events.Connecting or MarketDataSpans.Events.Connected
                or MarketDataSpans.Events.Authenticated or MarketDataSpans.Events.Subscribed).Distinct());
        Assert.Equal(ConnectionLost, session.Attribute(TradingAttributes.FeedDisconnectReason));
        Assert.Equal("Error", session.StatusCode);
        Assert.Equal(venue, session.Attribute(TradingAttributes.Venue));
    }

    [Fact]
    public async Task Dropped_messages_are_counted_as_a_gap_of_their_number_and_recovered()
    {
        const string venue = "coinbase";
        const int dropped = 5;
        var before = await SubscribedFeedAsync(venue);
        var trace = before.GetProperty("sessionTraceId").GetString()!;

        var drop = await AdminPostAsync<FeedActionResult>(VenueFeedAdmin.DropPath(venue), new FeedDropRequest(dropped));
        Assert.True(drop.Connections >= 1);

        // Every dropped message counted and every gap recovered. One gap as a rule; two when a heartbeat announced the
        // sequence while the venue was still dropping (a tail gap, then the rest when the next message arrives).
        var after = await Eventually.Value<JsonElement>(async () =>
        {
            var feed = await FeedAsync(venue);
            var gaps = Counter(feed, "gaps") - Counter(before, "gaps");
            return Counter(feed, "gapMessages") - Counter(before, "gapMessages") >= dropped && gaps > 0 &&
                   Counter(feed, "gapsRecovered") - Counter(before, "gapsRecovered") == gaps ? feed : (JsonElement?)null;
        }, Patience, $"{venue}'s {dropped} dropped messages to be counted and recovered");
        var newGaps = Counter(after, "gaps") - Counter(before, "gaps");
        Assert.InRange(newGaps, 1, 2);
        Assert.Equal(Counter(before, "gapMessages") + dropped, Counter(after, "gapMessages"));
        Assert.Equal(Counter(before, "gapsNotRecovered"), Counter(after, "gapsNotRecovered"));
        Assert.Equal(before.GetProperty("sessionId").GetString(), after.GetProperty("sessionId").GetString());
        Assert.NotNull(after.GetProperty("lastGapAt").GetString());

        // Each gap's recovery is a span of the session's trace, with its size and outcome; together they are the drop.
        var view = await Eventually.Get(async () =>
        {
            var found = await TraceAsync(trace);
            return found?.Spans.Count(s => s.Name == MarketDataSpans.GapRecovery) == newGaps ? found : null;
        }, Patience, $"{newGaps} {MarketDataSpans.GapRecovery} span(s) in session trace {trace}");
        var gapSpans = view.Spans.Where(s => s.Name == MarketDataSpans.GapRecovery).ToList();
        Assert.Equal(dropped, gapSpans.Sum(s => long.Parse(s.Attribute(TradingAttributes.FeedGapSize)!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(gapSpans, gap =>
        {
            Assert.Equal("true", gap.Attribute(TradingAttributes.FeedGapRecovered)?.ToLowerInvariant());
            Assert.NotEqual("Error", gap.StatusCode);
        });
    }

    [Fact]
    public async Task A_malformed_frame_is_counted_by_kind_and_the_connection_keeps_going()
    {
        const string venue = "binance";
        var before = await SubscribedFeedAsync(venue);
        foreach (var kind in new[] { VenueFeedAdmin.MalformedKinds.InvalidJson, VenueFeedAdmin.MalformedKinds.UnknownType })
        {
            await AdminPostAsync<FeedActionResult>(VenueFeedAdmin.MalformedPath(venue), new FeedMalformedRequest(kind, 2));
        }

        var after = await Eventually.Value<JsonElement>(async () =>
        {
            var feed = await FeedAsync(venue);
            return Malformed(feed, "invalid_json") >= Malformed(before, "invalid_json") + 2 && Malformed(feed, "unknown_type") >= Malformed(before, "unknown_type") + 2
                ? feed : (JsonElement?)null;
        }, Patience, $"{venue}'s malformed frames to be counted");

        // Same session, still receiving quotes.
        Assert.Equal(before.GetProperty("sessionId").GetString(), after.GetProperty("sessionId").GetString());
        Assert.Equal(Counter(before, "disconnects"), Counter(after, "disconnects"));
        var quotes = Counter(after, "quotes");
        await Eventually.True(async () => Counter(await FeedAsync(venue), "quotes") > quotes, Patience, $"more quotes from {venue} after the malformed frames");
        Assert.Equal(before.GetProperty("sessionId").GetString(), (await FeedAsync(venue)).GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task A_refused_login_is_retried_with_backoff_and_shows_as_an_error_span_until_the_venue_accepts_again()
    {
        const string venue = "kraken";
        var before = await SubscribedFeedAsync(venue);
        var since = DateTimeOffset.UtcNow;
        await AdminPutAsync(VenueFeedAdmin.FaultPath(venue), new VenueFeedFault { RefuseLogins = true });
        try
        {
            await AdminPostAsync<FeedActionResult>(VenueFeedAdmin.DisconnectPath(venue), new { });

            // At least two refused sessions in the trace store: the loop retries.
            var refused = await Eventually.Get(async () =>
            {
                var sessions = (await FeedsFromStoreAsync(venue))
                    .Where(s => s.GetProperty("disconnectReason").GetString() == LoginRefused
                        && s.GetProperty("start").GetDateTimeOffset() >= since)
                    .ToList();
                return sessions.Count >= 2 ? sessions : null;
            }, TimeSpan.FromSeconds(60), $"two refused login sessions of {venue} in the trace store");
            Assert.All(refused, s => Assert.Equal("Error", s.GetProperty("status").GetString()));

            var session = await SessionSpanAsync(refused[0].GetProperty("traceId").GetString()!, _ => true);
            Assert.Equal("Error", session.StatusCode);
            Assert.Contains(MarketDataSpans.Events.Connected, session.Events);
            Assert.DoesNotContain(MarketDataSpans.Events.Authenticated, session.Events);
            Assert.Equal(LoginRefused, session.Attribute(TradingAttributes.FeedDisconnectReason));
            Assert.Equal(FeedStates.Down, (await FeedAsync(venue)).GetProperty("state").GetString());
        }
        finally
        {
            await AdminDeleteAsync(VenueFeedAdmin.FaultPath(venue));
        }

        var back = await Eventually.Value<JsonElement>(async () =>
        {
            var feed = await FeedAsync(venue);
            return feed.GetProperty("state").GetString() == FeedStates.Up && feed.GetProperty("sessionId").GetString() != before.GetProperty("sessionId").GetString()
                ? feed : (JsonElement?)null;
        }, Patience, $"{venue}'s feed to be up again once logins are accepted");
        Assert.True(Counter(back, "reconnects") > Counter(before, "reconnects"));
    }

    [Fact]
    public async Task A_stale_venue_turns_the_feed_health_check_degraded_and_the_router_stops_using_its_quotes()
    {
        // binance is the cheapest and fastest venue for BTC-USD: without staleness every order goes there first.
        const string venue = "binance";
        await SubscribedFeedAsync(venue);
        await AdminPutAsync(VenueFeedAdmin.FaultPath(venue), new VenueFeedFault { Stale = true });
        try
        {
            await Eventually.True(async () => (await FeedAsync(venue)).GetProperty("state").GetString() == FeedStates.Degraded,
                Patience, $"{venue}'s feed to be degraded");
            // The resource's health on the dashboard: degraded, naming the venue (other venues may be degraded too, by earlier tests' gaps).
            var health = await app.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.MarketData,
                e => e.Snapshot.HealthReports.Any(r => r.Name == "marketdata-feeds" && r.Status == HealthStatus.Degraded
                    && r.Description?.Contains($"{venue} {FeedStates.Degraded}", StringComparison.Ordinal) == true))
                .WaitAsync(TimeSpan.FromSeconds(90));
            Assert.Equal(HealthStatus.Degraded, health.Snapshot.HealthStatus);

            // Execution's quotes from binance age past its limit: the router names it stale and routes elsewhere.
            var trace = await Eventually.Get(async () =>
            {
                var id = (await app.PostOrderAsync("test-stale-feed", new { clientId = "test-stale-feed", symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 0.01m }))
                    .GetProperty("orderId").GetString()!;
                var order = (await app.WaitForFinalAsync("test-stale-feed", id))!.Value;
                Assert.Equal("Filled", order.GetProperty("status").GetString());
                var t = await app.WaitForTraceAsync(id, t => t.IsCompleteFill);
                return t.First("order.route").Attribute(TradingAttributes.StaleVenues)?.Split(',').Contains(venue) == true ? t : null;
            }, Patience, $"an order whose route names {venue} stale");
            Assert.DoesNotContain(trace.Spans, s => s.Name is "order.execute" or "venue.match" && s.Attribute(TradingAttributes.Venue) == venue);
            Assert.NotEqual(venue, trace.First("order.route").Attribute(TradingAttributes.Venue));
            Assert.True(double.Parse(trace.First("order.route").Attribute(TradingAttributes.PriceAgeMs)!, System.Globalization.CultureInfo.InvariantCulture) < 3000);
        }
        finally
        {
            await AdminDeleteAsync(VenueFeedAdmin.FaultPath(venue));
        }

        await Eventually.True(async () => (await FeedAsync(venue)).GetProperty("state").GetString() == FeedStates.Up, Patience, $"{venue}'s feed to be up again");
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.MarketData).WaitAsync(TimeSpan.FromSeconds(90));
    }

    private static long Counter(JsonElement feed, string name) => feed.GetProperty("counters").GetProperty(name).GetInt64();

    private static long Malformed(JsonElement feed, string kind) =>
        feed.GetProperty("counters").GetProperty("malformedFrames").TryGetProperty(kind, out var n) ? n.GetInt64() : 0;

    private async Task<JsonElement> FeedAsync(string venue)
    {
        using var marketData = app.App.CreateHttpClient(ResourceNames.MarketData);
        return await marketData.GetFromJsonAsync<JsonElement>($"/feeds/{venue}");
    }

    /// <summary>The venue's feed once it is up on a session (earlier tests may have left it reconnecting).</summary>
    private Task<JsonElement> SubscribedFeedAsync(string venue) =>
        Eventually.Value<JsonElement>(async () =>
        {
            var feed = await FeedAsync(venue);
            return feed.GetProperty("state").GetString() == FeedStates.Up && feed.GetProperty("sessionTraceId").GetString() is not null
                ? feed : (JsonElement?)null;
        }, Patience, $"{venue}'s feed to be up");

    private async Task<TraceView?> TraceAsync(string traceId)
    {
        using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{traceId}");
        return response.StatusCode == HttpStatusCode.OK ? TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>()) : null;
    }

    private Task<SpanView> SessionSpanAsync(string traceId, Func<SpanView, bool> done) =>
        Eventually.Get(async () => (await TraceAsync(traceId))?.Spans.FirstOrDefault(s => s.Name == MarketDataSpans.Session && done(s)),
            Patience, $"the {MarketDataSpans.Session} span of trace {traceId}");

    private async Task<List<JsonElement>> FeedsFromStoreAsync(string venue)
    {
        var feeds = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/api/feeds");
        return feeds.GetProperty("venues").EnumerateArray()
            .Where(v => v.GetProperty("venue").GetString() == venue)
            .SelectMany(v => v.GetProperty("sessions").EnumerateArray())
            .ToList();
    }

    private async Task<T> AdminGetAsync<T>(string path)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        return (await admin.GetFromJsonAsync<T>(path))!;
    }

    private async Task<T> AdminPostAsync<T>(string path, object body)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        using var response = await admin.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private async Task AdminPutAsync(string path, object body)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        using var response = await admin.PutAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task AdminDeleteAsync(string path)
    {
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        using var response = await admin.DeleteAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound, $"DELETE {path}: {(int)response.StatusCode}");
    }
}
