using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>The trace store in the real AppHost: its API and page need the generated operator-key parameter.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class TraceStoreAccessTests(TradingAppFixture app)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("/api/spans/search?window=15m")]
    [InlineData("/api/orders/ord-1/trace")]
    [InlineData("/api/stages/percentiles?window=15m")]
    [InlineData("/api/alerts")]
    [InlineData("/api/ingest/status")]
    public async Task The_trace_store_api_answers_only_with_the_operator_key(string path)
    {
        using var anonymous = app.App.CreateHttpClient(ResourceNames.TraceAnalytics);
        using var withoutKey = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("application/problem+json", withoutKey.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^[0-9a-f]{32}$", (await withoutKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString());

        using var guesser = app.App.CreateHttpClient(ResourceNames.TraceAnalytics);
        guesser.DefaultRequestHeaders.Add(TradingAppFixture.OperatorKeyHeader, app.AdminKey);
        using var wrongKey = await guesser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);

        using var withKey = await app.TraceAnalytics.GetAsync(path);
        Assert.True(withKey.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {path} with the key answered {(int)withKey.StatusCode}");
        if (withKey.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Equal("Trace not found", (await withKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task The_trace_page_is_a_login_form_until_the_operator_logs_in_with_the_key()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = app.TraceAnalytics.BaseAddress,
        };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var before = await browser.GetAsync("/");
        var form = await before.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Contains("id=\"login-form\"", form);
        Assert.DoesNotContain("id=\"search\"", form);

        using var wrong = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = app.AdminKey }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = app.OperatorKey }));
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Contains("samesite=strict", login.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        using var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>TradingAspire · Trace analytics</title>", await page.Content.ReadAsStringAsync());
        using var api = await browser.GetAsync("/api/alerts");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_links_the_trace_store_to_its_login_and_says_where_the_key_is()
    {
        var ready = await app.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.TraceAnalytics,
            e => e.Snapshot.Urls.Any(u => u.Url.EndsWith("/login", StringComparison.Ordinal))).WaitAsync(Limit);

        var link = ready.Snapshot.Urls.Single(u => u.Url.EndsWith("/login", StringComparison.Ordinal));
        Assert.Contains(ParameterNames.OperatorKey, link.DisplayProperties.DisplayName);
        using var anonymous = app.App.CreateHttpClient(ResourceNames.TraceAnalytics);
        using var response = await anonymous.GetAsync(new Uri(link.Url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"login-form\"", await response.Content.ReadAsStringAsync());
    }
}
