using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// Any WebSocket client, not only ours: a Node.js script using the npm <c>ws</c> package and only the
/// README's "Venue feed protocol" reads a venue's feed from the real exchanges service.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class ForeignFeedClientTests(TradingAppFixture app)
{
    private const string Venue = "kraken";
    private const int Quotes = 30;
    private static readonly TimeSpan Plausible = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_node_ws_client_with_the_service_key_reads_sequenced_quotes_replays_and_takes_a_snapshot()
    {
        var summary = await ReadFeedAsync(app.ServiceKey, ["BTC-USD", "eth-usd", "NOPE-USD"]);

        var loginOk = summary.GetProperty("loginOk");
        Assert.Equal("login_ok", loginOk.GetProperty("type").GetString());
        Assert.Equal(Venue, loginOk.GetProperty("venue").GetString());
        Assert.False(string.IsNullOrEmpty(loginOk.GetProperty("sessionId").GetString()));
        Assert.True(loginOk.GetProperty("heartbeatMs").GetInt32() > 0);

        // Symbols match case-insensitively and are acknowledged in the venue's spelling; an unlisted one is an error.
        Assert.Equal(["BTC-USD", "ETH-USD"], Strings(summary.GetProperty("subscribed")));
        var error = Assert.Single(summary.GetProperty("errors").EnumerateArray());
        Assert.Equal("unknown_symbol", error.GetProperty("reason").GetString());
        Assert.Contains("NOPE-USD", error.GetProperty("detail").GetString());

        Assert.True(summary.GetProperty("quotes").GetInt32() >= Quotes, summary.ToString());
        Assert.Equal(["BTC-USD", "ETH-USD"], Strings(summary.GetProperty("symbols")));
        Assert.True(summary.GetProperty("allBidBelowAsk").GetBoolean());
        var sample = summary.GetProperty("sampleQuote");
        Assert.True(sample.GetProperty("bid").GetDecimal() < sample.GetProperty("ask").GetDecimal(), sample.ToString());
        Assert.True(sample.GetProperty("bidSize").GetDouble() > 0 && sample.GetProperty("askSize").GetDouble() > 0, sample.ToString());

        // Quotes and trades share one sequence per connection: 1, 2, 3, … with no gap.
        Assert.Equal(1, summary.GetProperty("firstSeq").GetInt64());
        Assert.True(summary.GetProperty("contiguous").GetBoolean(), summary.ToString());
        Assert.Equal(summary.GetProperty("quotes").GetInt64() + summary.GetProperty("trades").GetInt64(), summary.GetProperty("lastSeq").GetInt64());

        AssertPlausibleMicros(summary.GetProperty("minTs"));
        AssertPlausibleMicros(summary.GetProperty("maxTs"));

        Assert.True(summary.GetProperty("heartbeats").GetInt32() >= 1);
        var heartbeat = summary.GetProperty("lastHeartbeat");
        AssertPlausibleMicros(heartbeat.GetProperty("ts"));
        Assert.InRange(heartbeat.GetProperty("lastSeq").GetInt64(), 1, summary.GetProperty("lastSeq").GetInt64());

        // Replayed messages come as first sent plus "replay": true, then replay_done.
        var replay = summary.GetProperty("replay");
        Assert.Equal([1L, 2L, 3L], replay.GetProperty("seqs").EnumerateArray().Select(s => s.GetInt64()));
        Assert.True(replay.GetProperty("allMarked").GetBoolean());
        Assert.True(replay.GetProperty("matchOriginal").GetBoolean());
        Assert.Equal("replay_done", replay.GetProperty("done").GetProperty("type").GetString());
        Assert.Equal(1, replay.GetProperty("done").GetProperty("fromSeq").GetInt64());
        Assert.Equal(3, replay.GetProperty("done").GetProperty("toSeq").GetInt64());

        var snapshot = summary.GetProperty("snapshot");
        Assert.Equal(["BTC-USD", "ETH-USD"], Strings(snapshot.GetProperty("symbols")));
        Assert.True(snapshot.GetProperty("allBidBelowAsk").GetBoolean());
        Assert.True(snapshot.GetProperty("lastSeq").GetInt64() >= Quotes);
        AssertPlausibleMicros(snapshot.GetProperty("ts"));

        Assert.Equal(1000, summary.GetProperty("close").GetProperty("code").GetInt32());
        Assert.Equal("closed", summary.GetProperty("close").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_node_ws_client_with_a_wrong_token_is_refused_with_bad_token_and_closed()
    {
        var summary = await ReadFeedAsync("not-the-service-key", ["BTC-USD"]);

        Assert.Equal(JsonValueKind.Null, summary.GetProperty("loginOk").ValueKind);
        Assert.Equal("bad_token", summary.GetProperty("loginRefused").GetString());
        Assert.Equal(0, summary.GetProperty("quotes").GetInt32());
        Assert.Equal(1008, summary.GetProperty("close").GetProperty("code").GetInt32());
        Assert.Equal("bad_token", summary.GetProperty("close").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_node_ws_client_gets_an_error_for_each_bad_frame_and_a_close_for_an_oversized_one_or_no_login()
    {
        var probe = await RunAsync("probe-errors.js", new Dictionary<string, string> { ["FEED_TOKEN"] = app.ServiceKey });

        var bad = probe.GetProperty("bad");
        var answers = bad.GetProperty("messages").EnumerateArray()
            .Select(m => (Type: m.GetProperty("type").GetString(), Reason: m.TryGetProperty("reason", out var r) ? r.GetString() : null,
                Detail: m.TryGetProperty("detail", out var d) ? d.GetString() : null))
            .ToList();
        Assert.Equal(
            ["error", "error", "error", "login_ok", "error", "error", "error", "error", "error"],
            answers.Select(a => a.Type));
        Assert.All(answers.Where(a => a.Type == "error"), a => Assert.Equal("bad_request", a.Reason));
        Assert.Contains("log in first", answers[0].Detail);
        Assert.Contains("not valid JSON", answers[1].Detail);
        Assert.Contains("text frames", answers[2].Detail);
        Assert.Contains("already logged in", answers[4].Detail);
        Assert.Contains("venue_gossip", answers[5].Detail);
        Assert.Contains("fromSeq", answers[6].Detail);
        Assert.Contains("64", answers[7].Detail);
        Assert.Contains("4096", answers[8].Detail);
        Assert.Equal(1008, bad.GetProperty("close").GetProperty("code").GetInt32());
        Assert.Equal("frame_too_large", bad.GetProperty("close").GetProperty("reason").GetString());

        var silent = probe.GetProperty("silent");
        var timeout = Assert.Single(silent.GetProperty("messages").EnumerateArray());
        Assert.Equal("error", timeout.GetProperty("type").GetString());
        Assert.Equal("login_timeout", timeout.GetProperty("reason").GetString());
        Assert.Equal(1008, silent.GetProperty("close").GetProperty("code").GetInt32());
        Assert.Equal("login_timeout", silent.GetProperty("close").GetProperty("reason").GetString());
        Assert.InRange(silent.GetProperty("openToCloseMs").GetInt32(), 4_500, 15_000);
    }

    [Fact]
    public async Task A_node_ws_client_sees_a_gap_of_dropped_messages_and_replays_exactly_the_missing_seqs()
    {
        const int Dropped = 5;
        var result = await RunAsync("gap-replay.js", new Dictionary<string, string>
        {
            ["FEED_TOKEN"] = app.ServiceKey,
            ["FEED_SYMBOLS"] = "BTC-USD,SOL-USD",
            ["DROP_URL"] = new Uri(FeedService, VenueFeedAdmin.DropPath(Venue)).ToString(),
            ["ADMIN_KEY"] = app.AdminKey,
            ["DROP"] = Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var gap = result.GetProperty("gap");
        var (from, to) = (gap.GetProperty("fromSeq").GetInt64(), gap.GetProperty("toSeq").GetInt64());
        Assert.Equal(Dropped, to - from + 1);
        var replayed = result.GetProperty("replayed").EnumerateArray().Select(s => s.GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range((int)from, Dropped).Select(s => (long)s), replayed);
        Assert.Equal(from, result.GetProperty("replayDone").GetProperty("fromSeq").GetInt64());
        Assert.Equal(to, result.GetProperty("replayDone").GetProperty("toSeq").GetInt64());

        // What was seen live plus what was replayed is every seq from 1, once.
        var seen = result.GetProperty("seen").EnumerateArray().Select(s => s.GetInt64()).ToArray();
        Assert.DoesNotContain(seen, replayed.Contains);
        var all = seen.Concat(replayed).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, all.Length).Select(s => (long)s), all);
        Assert.True(result.GetProperty("snapshot").GetProperty("lastSeq").GetInt64() >= to);
        Assert.Equal(["BTC-USD", "SOL-USD"], Strings(result.GetProperty("snapshot").GetProperty("symbols")));
    }

    [Fact]
    public async Task A_node_ws_client_that_cannot_keep_up_is_closed_as_a_slow_consumer()
    {
        // New connections get a 2-message send queue (the rate stays as it is, so marketdata's open connection is untouched).
        // One subscribe that lists 40 unknown symbols is answered in one burst: 40 errors, the ack, 5 quotes.
        using var admin = app.AdminClient(ResourceNames.Exchanges);
        using var set = await admin.PutAsJsonAsync(VenueFeedAdmin.FaultPath(Venue), new VenueFeedFault { SendBufferMessages = 2 });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        string[] symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "ADA-USD", .. Enumerable.Range(1, 40).Select(i => $"NOPE{i}-USD")];
        try
        {
            var summary = await RunAsync("read-feed.js", new Dictionary<string, string>
            {
                ["FEED_TOKEN"] = app.ServiceKey,
                ["FEED_SYMBOLS"] = string.Join(',', symbols),
                ["QUOTES"] = "100000000",
            });

            Assert.Equal("login_ok", summary.GetProperty("loginOk").GetProperty("type").GetString());
            Assert.Equal(1008, summary.GetProperty("close").GetProperty("code").GetInt32());
            Assert.Equal("slow_consumer", summary.GetProperty("close").GetProperty("reason").GetString());
        }
        finally
        {
            using var cleared = await admin.DeleteAsync(VenueFeedAdmin.FaultPath(Venue));
        }
    }

    [Fact]
    public async Task Before_the_upgrade_an_unknown_venue_is_404_and_a_plain_http_request_is_400()
    {
        using var http = new HttpClient { BaseAddress = FeedService };

        using var unknown = await http.GetAsync("/venues/nowhere/feed");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var plain = await http.GetAsync($"/venues/{Venue}/feed");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
    }

    private Task<JsonElement> ReadFeedAsync(string token, string[] symbols) =>
        RunAsync("read-feed.js", new Dictionary<string, string>
        {
            ["FEED_TOKEN"] = token,
            ["FEED_SYMBOLS"] = string.Join(',', symbols),
            ["QUOTES"] = Quotes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>Runs a script of the foreign client against the venue's feed; answers the JSON line it printed last.</summary>
    private async Task<JsonElement> RunAsync(string script, Dictionary<string, string> environment)
    {
        var client = new NodeScript("ForeignFeedClient");
        await client.EnsureInstalledAsync("ws");
        environment["FEED_URL"] = new UriBuilder(FeedService) { Scheme = "ws", Path = $"/venues/{Venue}/feed" }.Uri.ToString();
        environment["TIMEOUT_MS"] = "30000";
        var run = await client.RunScriptAsync(script, environment);
        Assert.True(run.ExitCode == 0, $"the node feed client ({script}) failed ({run.ExitCode}): {run.Output}");
        var summary = run.Output.Split('\n').Select(line => line.Trim()).Last(line => line.StartsWith('{'));
        return JsonDocument.Parse(summary).RootElement.Clone();
    }

    /// <summary>The exchanges service's http endpoint in the running AppHost (the dashboard shows the same).</summary>
    private Uri FeedService => app.App.GetEndpoint(ResourceNames.Exchanges, "http");

    private static void AssertPlausibleMicros(JsonElement ts)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(ts.GetInt64() * 10);
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(time, now - Plausible, now + Plausible);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString()!).ToArray();
}
