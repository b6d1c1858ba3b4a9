using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TradingAspire.Gateway;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The real gateway (its own wiring, <see cref="GatewayApplication"/>) on a real Kestrel on loopback,
/// talking to a real redis-server through a <see cref="FaultyTcpProxy"/> that can cut its connection.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Secret = "gateway-host-test-secret";

    private readonly WebApplication app;

    private GatewayHost(WebApplication app, FaultyTcpProxy proxy)
    {
        this.app = app;
        Proxy = proxy;
    }

    public FaultyTcpProxy Proxy { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<GatewayHost> StartAsync(string redisConnectionString, params string[] settings)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString);
        var proxy = new FaultyTcpProxy(options.EndPoints[0] as IPEndPoint ?? throw new InvalidOperationException($"Not an IP endpoint: {options.EndPoints[0]}"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:redis"] = $"127.0.0.1:{proxy.Port},password={options.Password}";
        builder.Configuration["ClientAuth:Secret"] = Secret;
        foreach (var setting in settings)
        {
            var at = setting.IndexOf('=', StringComparison.Ordinal);
            builder.Configuration[setting[..at]] = setting[(at + 1)..];
        }

        builder.AddGatewayService();
        var app = builder.Build();
        app.MapGatewayService();
        await app.StartAsync();
        return new GatewayHost(app, proxy);
    }

    public HttpClient ClientFor(string clientId)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(ClientKeys.ClientIdHeader, clientId);
        http.DefaultRequestHeaders.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(Secret, clientId));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}
