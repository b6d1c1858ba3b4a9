using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TradingAspire.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every TradingAspire service takes: OpenTelemetry, health checks, service
/// discovery, ProblemDetails with the trace id, OpenAPI, and the admin and service-key options. HTTP
/// resilience is not a default: each caller chooses its own (execution a Polly pipeline per venue, so
/// one venue's failures never stop the others; the generator the standard resilience handler).
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureTradingTelemetry();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());

        builder.Services.AddTradingProblemDetails();
        builder.Services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        builder.Services.AddServiceAuth(builder.Configuration);
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// Errors as ProblemDetails (exceptions and bare status codes alike), the OpenAPI document at
    /// <c>/openapi/v1.json</c>, <c>/health</c> (every check) and <c>/alive</c> (liveness only).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }
}
