using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The real trace store consuming <c>marketdata.health</c> from a real redis-server. Reports go in through the Messaging
/// publisher (as the marketdata service writes them), session spans through OTLP ingest; <c>/api/feeds</c> sums them.
/// </summary>
public sealed class FeedHealthHost : IAsyncLifetime
{
    private readonly RedisServerFixture redis = new();

    public TraceAnalyticsServer Server { get; private set; } = null!;

    public StackExchange.Redis.IDatabase Redis => redis.Connection.GetDatabase();

    public IStreamPublisher Publisher => Server.Services.GetRequiredService<IStreamPublisher>();

    private readonly SemaphoreSlim seeding = new(1, 1);
    private bool seeded;

    /// <summary>Runs <paramref name="seed"/> once for every test of the class (the first to ask runs it; the others wait).</summary>
    public async Task SeedOnceAsync(Func<Task> seed)
    {
        await seeding.WaitAsync();
        try
        {
            if (!seeded)
            {
                await seed();
                seeded = true;
            }
        }
        finally
        {
            seeding.Release();
        }
    }

    public async Task InitializeAsync()
    {
        await redis.InitializeAsync();
        Server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Messaging:BlockTime"] = "00:00:00.500",
        });
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await redis.DisposeAsync();
    }
}

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class FeedHealthEndpointTests(FeedHealthHost host) : IClassFixture<FeedHealthHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // Whole seconds, four minutes ago: inside the default 15-minute period, and exact at DuckDB's microseconds.
    private static readonly DateTime T0 = new(DateTime.UtcNow.AddMinutes(-4).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private const string Session1 = "0b1a00000000000000000000000000a1";
    private const string Session2 = "0b1a00000000000000000000000000a2";
    private const string KrakenSession = "0c2b00000000000000000000000000b1";
    private const string EndedBefore = "0b1a00000000000000000000000000a0";

    private static readonly FeedHealthReport[] BinanceReports =
    [
        FeedHealthReports.At(T0, "binance", 0, FeedStates.Up, 5, 1000, 1.5, 4.0, 9.0, gaps: 2, gapMessages: 7, recovered: 2, outOfOrder: 1, trace: Session1),
        FeedHealthReports.At(T0, "binance", 1, FeedStates.Degraded, 5, 800, 2.0, 12.5, 30, gaps: 1, gapMessages: 3, crossed: 2, malformed: 1, stale: 2, trace: Session1),
        FeedHealthReports.At(T0, "binance", 2, FeedStates.Down, 1.5, 200, 1.0, 3.0, 3.5, disconnects: 1, trace: Session1, reason: "heartbeat timeout"),
        FeedHealthReports.At(T0, "binance", 3, FeedStates.Up, 4, 0, null, null, null, reconnects: 1, stale: 1, trace: Session2),
    ];

    private static readonly FeedHealthReport KrakenReport = FeedHealthReports.At(T0, "kraken", 0, FeedStates.Down, 0, 0, null, null, null);

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string PeriodQuery => $"from={Iso(T0.AddMinutes(-1))}&to={Iso(T0.AddMinutes(1))}";

    private async Task<JsonElement> FeedsAsync(string query)
    {
        var response = await host.Server.Client.GetAsync("/api/feeds?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Venue(JsonElement feeds, string venue) =>
        feeds.GetProperty("venues").EnumerateArray().Single(v => v.GetProperty("venue").GetString() == venue);

    /// <summary>Publishes the reports (one twice, as a redelivery would) and exports the session spans, once per fixture.</summary>
    private Task SeedAsync() => host.SeedOnceAsync(async () =>
    {
        foreach (var report in BinanceReports.Append(BinanceReports[1]).Append(KrakenReport))
        {
            await host.Publisher.PublishAsync(Streams.MarketDataHealth, report);
        }

        var export = FeedSessionExports.Request(
            FeedSessionExports.Session(Session1, "binance", "binance-1", T0.AddSeconds(-2), T0.AddSeconds(11.5), disconnectReason: "heartbeat timeout"),
            FeedSessionExports.Connect(Session1, "binance", "binance-1", T0.AddSeconds(-2)),
            FeedSessionExports.Connect(Session2, "binance", "binance-2", T0.AddSeconds(13.5)),
            FeedSessionExports.Session(KrakenSession, "kraken", "kraken-1", T0.AddSeconds(-30), T0.AddSeconds(-29), error: "login refused"),
            FeedSessionExports.Connect(KrakenSession, "kraken", "kraken-1", T0.AddSeconds(-30), error: "login refused"),
            FeedSessionExports.Session(EndedBefore, "binance", "binance-0", T0.AddMinutes(-10), T0.AddMinutes(-9), disconnectReason: "server closed"));
        Assert.Equal(HttpStatusCode.OK, (await host.Server.ExportAsync(export)).StatusCode);

        await Eventually.True(async () =>
        {
            var feeds = await FeedsAsync(PeriodQuery);
            return feeds.GetProperty("venues").GetArrayLength() == 2 &&
                   Venue(feeds, "binance").GetProperty("reports").GetInt64() == 4 && Venue(feeds, "kraken").GetProperty("reports").GetInt64() == 1 &&
                   (await host.Redis.StreamGroupInfoAsync(Streams.MarketDataHealth)).Single(g => g.Name == "trace-analytics") is { Lag: 0, PendingMessageCount: 0 };
        }, Timeout, "every report to be consumed and stored");
    });

    [Fact]
    public async Task Feeds_give_each_venues_uptime_gap_rate_disconnects_quality_and_state_summed_from_its_reports()
    {
        await SeedAsync();
        var feeds = await FeedsAsync(PeriodQuery);
        Assert.Equal(T0.AddMinutes(-1), feeds.GetProperty("from").GetDateTime().ToUniversalTime());
        Assert.Equal(T0.AddMinutes(1), feeds.GetProperty("to").GetDateTime().ToUniversalTime());
        Assert.Equal(["binance", "kraken"], feeds.GetProperty("venues").EnumerateArray().Select(v => v.GetProperty("venue").GetString()));

        var binance = Venue(feeds, "binance");
        Assert.Equal(4, binance.GetProperty("reports").GetInt64()); // the redelivered report is stored once
        Assert.Equal(2000, binance.GetProperty("messages").GetInt64());
        Assert.Equal(FeedStates.Up, binance.GetProperty("state").GetString());
        Assert.Equal(T0.AddSeconds(20), binance.GetProperty("stateAt").GetDateTime().ToUniversalTime());
        Assert.Equal(1, binance.GetProperty("staleSymbols").GetInt32());
        Assert.Equal("heartbeat timeout", binance.GetProperty("lastDisconnectReason").GetString());

        var uptime = binance.GetProperty("uptime");
        Assert.Equal(20, uptime.GetProperty("coveredSeconds").GetDouble(), 9);
        Assert.Equal(15.5, uptime.GetProperty("connectedSeconds").GetDouble(), 9);
        Assert.Equal(100 * 15.5 / 20, uptime.GetProperty("percent").GetDouble(), 9);

        var gaps = binance.GetProperty("gaps");
        Assert.Equal(3, gaps.GetProperty("gaps").GetInt64());
        Assert.Equal(10, gaps.GetProperty("gapMessages").GetInt64());
        Assert.Equal(2, gaps.GetProperty("recovered").GetInt64());
        Assert.Equal(1000.0 * 3 / 2000, gaps.GetProperty("gapsPer1000Messages").GetDouble(), 9);
        Assert.Equal(1000.0 * 10 / 2000, gaps.GetProperty("gapMessagesPer1000Messages").GetDouble(), 9);
        Assert.Equal(2.0 / 3, gaps.GetProperty("recoveredShare").GetDouble(), 9);

        Assert.Equal(1, binance.GetProperty("connections").GetProperty("disconnects").GetInt64());
        Assert.Equal(1, binance.GetProperty("connections").GetProperty("reconnects").GetInt64());
        var quality = binance.GetProperty("quality");
        Assert.Equal(1, quality.GetProperty("malformedFrames").GetInt64());
        Assert.Equal(1, quality.GetProperty("outOfOrder").GetInt64());
        Assert.Equal(2, quality.GetProperty("crossedQuotes").GetInt64());

        var kraken = Venue(feeds, "kraken");
        Assert.Equal(FeedStates.Down, kraken.GetProperty("state").GetString());
        Assert.Equal(0, kraken.GetProperty("uptime").GetProperty("percent").GetDouble());
        Assert.Equal(JsonValueKind.Null, kraken.GetProperty("gaps").GetProperty("gapsPer1000Messages").ValueKind); // no message, no rate
    }

    [Fact]
    public async Task Feeds_give_a_latency_point_per_report_interval_with_its_p50_and_p99()
    {
        await SeedAsync();
        var latency = Venue(await FeedsAsync(PeriodQuery), "binance").GetProperty("latency");

        Assert.Equal(JsonValueKind.Null, latency.GetProperty("bucketSeconds").ValueKind);
        Assert.Equal(12.5, latency.GetProperty("worstP99Ms").GetDouble());
        Assert.Equal(30, latency.GetProperty("maxMs").GetDouble());
        var points = latency.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(BinanceReports.Select(r => r.IntervalStart.UtcDateTime), points.Select(p => p.GetProperty("start").GetDateTime().ToUniversalTime()));
        Assert.Equal(BinanceReports.Select(r => r.LatencyP99Ms), points.Select(p => NullableDouble(p.GetProperty("p99Ms"))));
        Assert.Equal(BinanceReports.Select(r => r.LatencyP50Ms), points.Select(p => NullableDouble(p.GetProperty("p50Ms"))));
        Assert.Equal(BinanceReports.Select(r => r.Messages), points.Select(p => p.GetProperty("messages").GetInt64()));
    }

    [Fact]
    public async Task Feeds_list_the_connection_sessions_of_the_period_from_the_stored_spans_with_links_to_their_traces()
    {
        await SeedAsync();
        var feeds = await FeedsAsync(PeriodQuery);

        // Newest first; the session that ended nine minutes before T0 is outside the period.
        var binance = Venue(feeds, "binance").GetProperty("sessions").EnumerateArray().ToArray();
        Assert.Equal([Session2, Session1], binance.Select(s => s.GetProperty("traceId").GetString()));

        var open = binance[0];
        Assert.True(open.GetProperty("open").GetBoolean(), "only its connect span is stored: the session is still open");
        Assert.Equal(JsonValueKind.Null, open.GetProperty("end").ValueKind);
        Assert.Equal(T0.AddSeconds(13.5), open.GetProperty("start").GetDateTime().ToUniversalTime());
        Assert.Equal("binance-2", open.GetProperty("sessionId").GetString());
        Assert.Equal("/?trace=" + Session2, open.GetProperty("url").GetString());

        var ended = binance[1];
        Assert.False(ended.GetProperty("open").GetBoolean());
        Assert.Equal(T0.AddSeconds(-2), ended.GetProperty("start").GetDateTime().ToUniversalTime());
        Assert.Equal(T0.AddSeconds(11.5), ended.GetProperty("end").GetDateTime().ToUniversalTime());
        Assert.Equal("heartbeat timeout", ended.GetProperty("disconnectReason").GetString());
        Assert.Equal("/?trace=" + Session1, ended.GetProperty("url").GetString());

        var kraken = Assert.Single(Venue(feeds, "kraken").GetProperty("sessions").EnumerateArray());
        Assert.Equal(KrakenSession, kraken.GetProperty("traceId").GetString());
        Assert.Equal("Error", kraken.GetProperty("status").GetString());
        Assert.Equal("login refused", kraken.GetProperty("statusMessage").GetString());

        // The link opens the session's trace on the page's trace view, which reads it from /api/traces/{id}.
        var trace = await host.Server.Client.GetFromJsonAsync<JsonElement>($"/api/traces/{Session1}");
        Assert.Equal(2, trace.GetProperty("spans").GetArrayLength());
    }

    [Fact]
    public async Task Without_a_period_feeds_cover_the_last_15_minutes()
    {
        await SeedAsync();
        var feeds = await FeedsAsync("");
        var from = feeds.GetProperty("from").GetDateTime().ToUniversalTime();
        var to = feeds.GetProperty("to").GetDateTime().ToUniversalTime();
        Assert.Equal(TimeSpan.FromMinutes(15), to - from);
        Assert.InRange(to, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(4, Venue(feeds, "binance").GetProperty("reports").GetInt64());

        var hourAgo = await FeedsAsync("window=1h&to=" + Iso(T0.AddMinutes(-30)));
        Assert.DoesNotContain(hourAgo.GetProperty("venues").EnumerateArray(), v => v.GetProperty("reports").GetInt64() > 0);
    }

    [Fact]
    public async Task A_report_that_is_no_venue_interval_is_dead_lettered_and_not_stored()
    {
        await SeedAsync();
        await host.Publisher.PublishAsync(Streams.MarketDataHealth, FeedHealthReports.At(T0, "bogus", 0, "sideways", 5, 1, 1, 1, 1));

        await Eventually.True(async () => await host.Redis.StreamLengthAsync(StreamFields.DeadLetterStream(Streams.MarketDataHealth)) == 1, Timeout, "the dead letter");
        Assert.DoesNotContain((await FeedsAsync(PeriodQuery)).GetProperty("venues").EnumerateArray(), v => v.GetProperty("venue").GetString() == "bogus");
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2025-13-45", "to")]
    [InlineData("window=15x", "window")]
    [InlineData("window=400d", "window")]
    [InlineData("from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from")]
    public async Task A_bad_period_is_a_400_problem_naming_the_field(string query, string field)
    {
        var response = await host.Server.Client.GetAsync("/api/feeds?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names '{field}': {problem}");
    }

    [Fact]
    public async Task Feeds_need_the_operator_key()
    {
        var response = await host.Server.Anonymous.GetAsync("/api/feeds");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static double? NullableDouble(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
