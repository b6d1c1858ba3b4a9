using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The real service on a loopback port (<see cref="TraceAnalyticsServer"/>) with 30 orders stored; its client sends the operator key.</summary>
public sealed class TraceAnalyticsHost : IAsyncLifetime
{
    private TraceAnalyticsServer? server;

    public HttpClient Client => server!.Client;
    public ITraceStore Store => server!.Store;
    public static readonly DateTime Start = DateTime.UtcNow.AddMinutes(-10);

    public async Task InitializeAsync()
    {
        server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?> { ["TraceAnalytics:Analysis:AnomalyMinSamples"] = "5" });
        var spans = Enumerable.Range(0, 30)
            .SelectMany(i => SampleTraces.Order(i, Start.AddSeconds(i * 5), i % 2 == 0 ? "binance" : "kraken", i == 29 ? 400 : 15 + i % 3))
            .ToArray();
        await Store.AppendAsync(spans);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class AnalyticsEndpointTests(TraceAnalyticsHost host) : IClassFixture<TraceAnalyticsHost>
{
    private async Task<JsonElement> GetProblemAsync(string url)
    {
        var response = await host.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _), "the problem carries the trace id");
        return problem;
    }

    [Theory]
    [InlineData("/api/spans/search?limit=0", "limit")]
    [InlineData("/api/spans/search?limit=abc", "limit")]
    [InlineData("/api/spans/search?minDurationMs=-1", "minDurationMs")]
    [InlineData("/api/spans/search?maxDurationMs=fast", "maxDurationMs")]
    [InlineData("/api/spans/search?minDurationMs=10&maxDurationMs=5", "minDurationMs")]
    [InlineData("/api/spans/search?status=broken", "status")]
    [InlineData("/api/spans/search?attr=novalue", "attr")]
    [InlineData("/api/spans/search?cursor=garbage", "cursor")]
    [InlineData("/api/spans/search?from=yesterday", "from")]
    [InlineData("/api/spans/search?to=2025-13-45", "to")]
    [InlineData("/api/spans/search?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from")]
    [InlineData("/api/stages/percentiles?window=15x", "window")]
    [InlineData("/api/stages/percentiles?groupBy=planet", "groupBy")]
    [InlineData("/api/stages/percentiles?window=400d", "window")]
    [InlineData("/api/stages/timeseries?bucket=0s", "bucket")]
    [InlineData("/api/stages/timeseries?window=1d&bucket=1s", "bucket")]
    [InlineData("/api/bottlenecks?window=soon", "window")]
    [InlineData("/api/compare?a=1q", "a")]
    [InlineData("/api/compare?bFrom=nope", "bFrom")]
    [InlineData("/api/anomalies?limit=100000", "limit")]
    [InlineData("/api/recommendations?from=2025-01-01T00:00:00Z&to=2025-01-01T01:00:00Z&window=1h", "window")]
    [InlineData("/api/traces/xyz/critical-path", "traceId")]
    [InlineData("/api/traces/xyz/jaeger", "traceId")]
    [InlineData("/api/alerts?state=burning", "state")]
    [InlineData("/api/alerts?limit=0", "limit")]
    public async Task A_bad_parameter_is_a_400_problem_naming_the_field(string url, string field)
    {
        var problem = await GetProblemAsync(url);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors name {field}: {errors}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Every_bad_parameter_is_named_at_once()
    {
        var problem = await GetProblemAsync("/api/spans/search?limit=0&status=nope&window=forever");

        Assert.Equal(["limit", "status", "window"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task An_unknown_trace_is_a_404_problem()
    {
        var response = await host.Client.GetAsync("/api/traces/0af7651916cd43dd8448eb211c80319c/critical-path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Percentiles_by_venue_come_back_as_json_groups()
    {
        var json = await host.Client.GetFromJsonAsync<JsonElement>("/api/stages/percentiles?groupBy=stage,venue&window=1h&name=venue.match");

        Assert.Equal(["stage", "venue"], json.GetProperty("groupBy").EnumerateArray().Select(g => g.GetString()));
        var groups = json.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(["binance", "kraken"], groups.Select(g => g.GetProperty("venue").GetString()));
        Assert.All(groups, g =>
        {
            Assert.Equal("venue.match", g.GetProperty("stage").GetString());
            Assert.Equal(15, g.GetProperty("count").GetInt64());
            Assert.True(g.GetProperty("p50Ms").GetDouble() <= g.GetProperty("p99Ms").GetDouble());
        });
    }

    [Fact]
    public async Task The_analyses_answer_over_http()
    {
        var trace = SampleTraces.TraceId(29);

        var path = await host.Client.GetFromJsonAsync<JsonElement>($"/api/traces/{trace}/critical-path");
        Assert.Equal("venue.match", path.GetProperty("largestStage").GetProperty("stage").GetString());
        Assert.Equal("venue.match", path.GetProperty("largestSelfTime").GetProperty("name").GetString());

        var jaeger = await host.Client.GetFromJsonAsync<JsonElement>($"/api/traces/{trace}/jaeger");
        Assert.Equal(17, jaeger.GetProperty("data")[0].GetProperty("spans").GetArrayLength());

        var bottlenecks = await host.Client.GetFromJsonAsync<JsonElement>("/api/bottlenecks?window=1h");
        Assert.Equal(30, bottlenecks.GetProperty("traces").GetInt32());
        Assert.Equal("venue.match", bottlenecks.GetProperty("stages")[0].GetProperty("stage").GetString());

        var anomalies = await host.Client.GetFromJsonAsync<JsonElement>("/api/anomalies?window=1h");
        var worst = anomalies.GetProperty("traces")[0];
        Assert.Equal(trace, worst.GetProperty("traceId").GetString());
        Assert.Equal("ord-29", worst.GetProperty("orderId").GetString());
        Assert.Contains(worst.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("venue.match 400 ms is ", StringComparison.Ordinal));

        var compare = await host.Client.GetFromJsonAsync<JsonElement>("/api/compare?a=1h&b=1h&stage=venue.match");
        Assert.Contains("Mann-Whitney", compare.GetProperty("significanceTest").GetString());
        var venueMatch = Assert.Single(compare.GetProperty("stages").EnumerateArray());
        Assert.Equal("only in window B", venueMatch.GetProperty("hint").GetString());

        var recommendations = await host.Client.GetFromJsonAsync<JsonElement>("/api/recommendations?window=1h");
        Assert.NotEmpty(recommendations.GetProperty("recommendations").EnumerateArray());

        var series = await host.Client.GetFromJsonAsync<JsonElement>("/api/stages/timeseries?stage=venue.match&window=1h&bucket=5m");
        Assert.InRange(series.GetProperty("points").GetArrayLength(), 12, 13);
        Assert.Equal(30, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Search_pages_through_spans_with_the_cursor_over_http()
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var url = "/api/spans/search?name=venue.match&attr=trading.venue=kraken&window=1h&limit=4" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await host.Client.GetFromJsonAsync<JsonElement>(url);
            ids.AddRange(page.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("spanId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(15, ids.Distinct().Count());
        Assert.Equal(15, ids.Count);
    }

    [Fact]
    public async Task The_existing_trace_endpoints_still_answer()
    {
        var order = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders/ord-3/trace");
        Assert.Equal(SampleTraces.TraceId(3), order.GetProperty("traceId").GetString());
        Assert.Equal(17, order.GetProperty("spans").GetArrayLength());

        var openApi = await host.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/stages/percentiles", openApi);
        Assert.Contains("/api/traces/{traceId}/jaeger", openApi);
    }
}
