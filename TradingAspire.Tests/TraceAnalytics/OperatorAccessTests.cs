using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradingAspire.TraceAnalytics.Access;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The trace store's API and page need the operator key (header, or the login's cookie), over real HTTP.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed partial class OperatorAccessTests(TraceAnalyticsServerFixture fixture) : IClassFixture<TraceAnalyticsServerFixture>
{
    private const string SampleTraceId = "5b8efff798038103d269b633813fc60c";

    private TraceAnalyticsServer Server => fixture.Server;

    /// <summary>Every GET under /api the OpenAPI document lists (it stays open), with its route parameters filled in.</summary>
    private async Task<IReadOnlyList<string>> ApiPathsAsync()
    {
        var openApi = await Server.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal) && p.Value.TryGetProperty("get", out _))
            .Select(p => RouteParameter().Replace(p.Name, SampleTraceId))
            .ToList();
        Assert.True(paths.Count >= 12, $"the OpenAPI document lists the API: {string.Join(", ", paths)}");
        Assert.Contains("/api/ingest/status", paths);
        Assert.Contains("/api/alerts", paths);
        return paths;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_api_endpoint_without_the_operator_key_is_refused_with_a_401_problem()
    {
        foreach (var path in await ApiPathsAsync())
        {
            using var response = await Server.Anonymous.GetAsync(path);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} without the key answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(OperatorAccess.KeyHeader, response.Headers.WwwAuthenticate.ToString());
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Contains(OperatorAccess.KeyHeader, problem.GetProperty("detail").GetString());
            Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        }
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(TraceAnalyticsServer.OperatorKey + "x")]
    [InlineData(TraceAnalyticsServer.IngestKey)]
    public async Task A_wrong_operator_key_is_refused(string key)
    {
        var client = Server.NewClient((OperatorAccess.KeyHeader, key));

        using var response = await client.GetAsync("/api/spans/search?window=1h");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_operator_key_opens_every_api_endpoint()
    {
        foreach (var path in await ApiPathsAsync())
        {
            using var response = await Server.Client.GetAsync(path);

            // Past the guard: each endpoint's own answer (an unknown trace is a 404 problem of the endpoint).
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {path} with the key answered {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.Equal("Trace not found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            }
        }

        var status = await Server.Client.GetFromJsonAsync<JsonElement>("/api/ingest/status");
        Assert.True(status.GetProperty("healthy").GetBoolean());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/login")]
    public async Task Health_liveness_openapi_and_the_login_stay_open(string path)
    {
        using var response = await Server.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_browser_without_the_cookie_gets_the_login_form_instead_of_the_page_and_its_files()
    {
        var browser = Server.NewBrowser(new CookieContainer());

        using var page = await browser.GetAsync("/?order=ord-7");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"login-form\"", html);
        Assert.Contains("operator-key", html);
        Assert.Contains("value=\"/?order=ord-7\"", html);
        Assert.DoesNotContain("id=\"search\"", html);

        using var script = await Server.Anonymous.GetAsync("/js/api.js");
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
        Assert.Equal("application/problem+json", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Logging_in_sets_an_http_only_same_site_strict_cookie_that_opens_the_page_and_the_api()
    {
        var cookies = new CookieContainer();
        var browser = Server.NewBrowser(cookies);

        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = TraceAnalyticsServer.OperatorKey,
            ["returnUrl"] = "/?order=ord-7",
        }));

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/?order=ord-7", login.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(OperatorAccess.CookieName + "=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TraceAnalyticsServer.OperatorKey, setCookie);

        using var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>TradingAspire · Trace analytics</title>", await page.Content.ReadAsStringAsync());
        using var script = await browser.GetAsync("/js/api.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        using var api = await browser.GetAsync("/api/alerts");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);

        // Logged in, the login page sends the browser on to the page.
        using var again = await browser.GetAsync("/login");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);

        using var logout = await browser.PostAsync("/logout", null);
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        using var afterLogout = await browser.GetAsync("/api/alerts");
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_at_the_login_shows_the_form_again_and_sets_no_cookie()
    {
        var cookies = new CookieContainer();
        var browser = Server.NewBrowser(cookies);

        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "guess" }));

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains("id=\"login-form\"", html);
        Assert.Matches("<p id=\"login-failed\"[^>]*role=\"alert\" >", html);
        Assert.False(login.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/alerts")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task The_login_never_redirects_to_another_site(string returnUrl)
    {
        var browser = Server.NewBrowser(new CookieContainer());

        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = TraceAnalyticsServer.OperatorKey,
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
    }

    public static TheoryData<string> ForgedSessions() =>
    [
        "1700000000.00",
        "garbage",
        OperatorAccess.IssueSession("another-key", DateTimeOffset.UtcNow),
        OperatorAccess.IssueSession(TraceAnalyticsServer.OperatorKey, DateTimeOffset.UtcNow.AddHours(-13)),
        OperatorAccess.IssueSession(TraceAnalyticsServer.OperatorKey, DateTimeOffset.UtcNow.AddHours(2)),
    ];

    [Theory]
    [MemberData(nameof(ForgedSessions))]
    public async Task A_forged_foreign_or_expired_session_cookie_is_refused(string session)
    {
        var client = Server.NewClient(("Cookie", $"{OperatorAccess.CookieName}={session}"));

        using var response = await client.GetAsync("/api/alerts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_session_the_store_issued_is_accepted()
    {
        var client = Server.NewClient(("Cookie", $"{OperatorAccess.CookieName}={OperatorAccess.IssueSession(TraceAnalyticsServer.OperatorKey, DateTimeOffset.UtcNow.AddHours(-1))}"));

        using var response = await client.GetAsync("/api/alerts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>A store started without an operator key is closed, never open.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OperatorKeyMissingTests
{
    [Fact]
    public async Task A_store_without_an_operator_key_configured_refuses_the_api_and_the_page()
    {
        await using var server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?> { ["TraceAnalytics:Api:OperatorKey"] = null });
        var guesser = server.NewClient((OperatorAccess.KeyHeader, ""));
        var withSomeKey = server.NewClient((OperatorAccess.KeyHeader, TraceAnalyticsServer.OperatorKey));

        foreach (var client in new[] { server.Anonymous, guesser, withSomeKey })
        {
            foreach (var path in new[] { "/api/spans/search", "/api/alerts", "/api/ingest/status", "/", "/js/api.js", "/login" })
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"GET {path} answered {(int)response.StatusCode}");
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Contains("no operator key configured", problem.GetProperty("detail").GetString());
                Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
            }
        }

        using var login = await server.Anonymous.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/health")).StatusCode);
    }
}
