using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The Kestrel side of OTLP/gRPC: the listener on <see cref="IngestOptions.GrpcPort"/> speaks HTTP/2 cleartext
/// only (gRPC clients send prior-knowledge h2c to an <c>http://</c> endpoint; Kestrel cannot tell it from
/// HTTP/1.1 on an endpoint that allows both), and serves nothing but the OTLP trace service. The other
/// listeners (the page, the API, OTLP/HTTP) keep their protocols.
/// </summary>
public static class OtlpGrpcPort
{
    private const string DefaultUrl = "http://localhost:5000";

    /// <summary>The configured port, when there is one.</summary>
    public static int? Read(IConfiguration configuration) =>
        configuration.GetValue<int?>($"{IngestOptions.Section}:{nameof(IngestOptions.GrpcPort)}") is > 0 and var port ? port : null;

    /// <summary>Makes Kestrel listen on the port (unless a configured URL already has it) with HTTP/2 only.</summary>
    public static WebApplicationBuilder ListenForOtlpGrpc(this WebApplicationBuilder builder, int port)
    {
        var urls = ConfiguredUrls(builder);
        if (!urls.Any(url => BindingAddress.Parse(url).Port == port))
        {
            builder.WebHost.UseUrls([.. urls, $"http://localhost:{port}"]);
        }

        // Endpoint defaults apply to the listeners made from the URLs too: only the gRPC port becomes HTTP/2-only.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        }));
        return builder;
    }

    /// <summary>On the gRPC port, anything but the OTLP trace service is 404 (a gRPC client reads UNIMPLEMENTED).</summary>
    public static WebApplication UseOtlpGrpcPortGuard(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<IngestOptions>>().Value.GrpcPort ?? 0;
        if (port <= 0)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == port && !context.Request.Path.StartsWithSegments(OtlpGrpcMethods.ServicePath))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The URLs Kestrel would bind: <c>urls</c>, else <c>http_ports</c>, else its default.</summary>
    private static string[] ConfiguredUrls(WebApplicationBuilder builder)
    {
        var separators = new[] { ';', ',' };
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var httpPorts = builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey);
        return string.IsNullOrWhiteSpace(httpPorts)
            ? [DefaultUrl]
            : [.. httpPorts.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}")];
    }
}
