using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>Admin endpoints on a real Kestrel on loopback: off unless enabled, and then only with the key.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class AdminSwitchTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(bool enabled)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Admin:Enabled"] = enabled ? "true" : "false",
            ["Admin:ApiKey"] = "the-admin-key",
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapAdminGroup().MapGet("/ping", () => "pong");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task Admin_endpoints_are_off_unless_enabled()
    {
        var (app, http) = await StartAsync(enabled: false);
        await using var _ = app;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/ping");
        request.Headers.Add(AdminOptions.KeyHeader, "the-admin-key");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Enabled_admin_endpoints_still_need_the_key()
    {
        var (app, http) = await StartAsync(enabled: true);
        await using var _ = app;
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/ping")).StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/ping");
        wrong.Headers.Add(AdminOptions.KeyHeader, "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/admin/ping");
        right.Headers.Add(AdminOptions.KeyHeader, "the-admin-key");
        using var response = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }
}
