using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The real service on a loopback port with signals on two venues and a few arbitrages stored ten minutes ago.</summary>
public sealed class TradeAnalysisHost : IAsyncLifetime
{
    public static readonly DateTime Start = DateTime.UtcNow.AddMinutes(-10);

    private TraceAnalyticsServer? server;

    public HttpClient Client => server!.Client;

    public string PageUrl => server!.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        server = await TraceAnalyticsServer.StartAsync();
        var spans = new List<SpanRecord>();
        for (var i = 0; i < 20; i++)
        {
            var venueMs = 10 + 4 * i;
            spans.AddRange(StrategyTraces.Signal(i, Start.AddSeconds(i), 5, i % 2 == 0 ? "binance" : "kraken", venueMs, 0.5 + 0.1 * venueMs));
        }

        for (var i = 0; i < 6; i++)
        {
            var slow = 20 + 30 * i; // always the slower leg
            spans.AddRange(StrategyTraces.Arbitrage(100 + i, Start.AddSeconds(i), new("binance", slow), new("kraken", 12),
                i < 4 ? StrategySpans.Outcomes.BothFilled : StrategySpans.Outcomes.OneLegFailed, 10, 10 - 0.05 * slow));
        }

        // Two hours earlier, out of the other tests' window: orders routed under each policy (trace: 0.3 bp better).
        for (var i = 0; i < 12; i++)
        {
            var policy = i % 2 == 0 ? "static" : "trace";
            spans.AddRange(StrategyTraces.RoutedOrder(200 + i, RoutedStart.AddSeconds(i), "binance", 15, (policy == "static" ? 1.0 : 0.7) + 0.01 * i, policy));
        }

        await server.Store.AppendAsync(spans);
    }

    public static DateTime RoutedStart => Start.AddHours(-2);

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TradeAnalysisEndpointTests(TradeAnalysisHost host) : IClassFixture<TradeAnalysisHost>
{
    [Theory]
    [InlineData("/api/analysis/latency-slippage?basis=fill", "basis")]
    [InlineData("/api/analysis/latency-slippage?maxPoints=0", "maxPoints")]
    [InlineData("/api/analysis/latency-slippage?from=yesterday", "from")]
    [InlineData("/api/analysis/latency-slippage?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from")]
    [InlineData("/api/analysis/arbitrage?to=2025-13-45", "to")]
    [InlineData("/api/analysis/arbitrage?window=400d", "window")]
    [InlineData("/api/analysis/routing?from=soon", "from")]
    public async Task A_bad_parameter_is_a_400_problem_naming_the_field(string url, string field)
    {
        var response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {problem}");
        Assert.True(problem.TryGetProperty("traceId", out _), "the problem carries the trace id");
    }

    [Fact]
    public async Task Latency_slippage_answers_per_venue_with_the_slope_interval_and_points()
    {
        var json = await host.Client.GetFromJsonAsync<JsonElement>("/api/analysis/latency-slippage?window=1h&maxPoints=4");

        Assert.Equal("signal", json.GetProperty("basis").GetString());
        Assert.Contains("Student t with n − 2 degrees of freedom", json.GetProperty("method").GetString());
        var venues = json.GetProperty("venues").EnumerateArray().ToArray();
        Assert.Equal(["binance", "kraken"], venues.Select(v => v.GetProperty("venue").GetString()));
        Assert.All(venues, v =>
        {
            Assert.Equal(10, v.GetProperty("n").GetInt64());
            Assert.Equal(10, v.GetProperty("fromSignal").GetInt64());
            // slippage = 0.5 + 0.1·venue ms and the rest of the latency is fixed: an exact line of slope 0.1 bp/ms.
            Assert.Equal(0.1, v.GetProperty("slopeBpsPerMs").GetDouble(), 6);
            Assert.Equal(1, v.GetProperty("r").GetDouble(), 6);
            Assert.True(v.GetProperty("slopeLow").GetDouble() <= 0.1 + 1e-9 && v.GetProperty("slopeHigh").GetDouble() >= 0.1 - 1e-9);
            Assert.Equal(4, v.GetProperty("points").GetArrayLength());
        });
    }

    [Fact]
    public async Task Arbitrage_answers_outcomes_buckets_and_ranked_stages()
    {
        var json = await host.Client.GetFromJsonAsync<JsonElement>("/api/analysis/arbitrage?window=1h");

        Assert.Equal(6, json.GetProperty("total").GetInt64());
        Assert.Equal(4 / 6.0, json.GetProperty("successRate").GetDouble(), 9);
        Assert.Equal(6, json.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.Contains("slower leg", json.GetProperty("stageBasis").GetString());
        var stages = json.GetProperty("stages").EnumerateArray().ToArray();
        var match = stages.Single(s => s.GetProperty("stage").GetString() == "venue.match");
        Assert.Equal(6, match.GetProperty("n").GetInt64());
        Assert.Equal(1, match.GetProperty("r").GetDouble(), 6);
        Assert.Equal(0.05, match.GetProperty("slopeBpsPerMs").GetDouble(), 6);
    }

    [Fact]
    public async Task Routing_answers_both_policies_and_their_difference()
    {
        var from = TradeAnalysisHost.RoutedStart.AddMinutes(-1).ToString("O");
        var to = TradeAnalysisHost.RoutedStart.AddMinutes(5).ToString("O");
        var json = await host.Client.GetFromJsonAsync<JsonElement>($"/api/analysis/routing?from={from}&to={to}");

        var policies = json.GetProperty("policies").EnumerateArray().ToArray();
        Assert.Equal(["static", "trace"], policies.Select(p => p.GetProperty("policy").GetString()));
        Assert.All(policies, p => Assert.Equal(6, p.GetProperty("n").GetInt64()));
        Assert.Equal(-0.29, json.GetProperty("difference").GetProperty("difference").GetDouble(), 9);
        Assert.Contains("Welch", json.GetProperty("method").GetString());
    }
}
