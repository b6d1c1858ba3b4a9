using System.Text.Json;
using Aspire.Hosting.Testing;
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

    private async Task<JsonElement> ReadFeedAsync(string token, string[] symbols)
    {
        var client = new NodeScript("ForeignFeedClient");
        await client.EnsureInstalledAsync("ws");
        var exchanges = app.App.GetEndpoint(ResourceNames.Exchanges, "http");
        var feed = new UriBuilder(exchanges) { Scheme = "ws", Path = $"/venues/{Venue}/feed" }.Uri;
        var run = await client.RunScriptAsync("read-feed.js", new Dictionary<string, string>
        {
            ["FEED_URL"] = feed.ToString(),
            ["FEED_TOKEN"] = token,
            ["FEED_SYMBOLS"] = string.Join(',', symbols),
            ["QUOTES"] = Quotes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TIMEOUT_MS"] = "30000",
        });
        Assert.True(run.ExitCode == 0, $"the node feed client failed ({run.ExitCode}): {run.Output}");
        var summary = run.Output.Split('\n').Select(line => line.Trim()).Last(line => line.StartsWith('{'));
        return JsonDocument.Parse(summary).RootElement.Clone();
    }

    private static void AssertPlausibleMicros(JsonElement ts)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(ts.GetInt64() * 10);
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(time, now - Plausible, now + Plausible);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString()!).ToArray();
}
