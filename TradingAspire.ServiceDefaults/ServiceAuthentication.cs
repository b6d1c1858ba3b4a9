using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// How our own services prove to each other that a call comes from inside the deployment (section
/// <c>ServiceAuth</c>): the header <c>X-Service-Key</c> carrying <c>ServiceAuth:Key</c>, a secret
/// the AppHost generates (parameter <c>service-key</c>) and gives only to the services that call or
/// are called. Execution → exchanges' order endpoints require it; the gateway continues the trace
/// of a caller only when it carries it.
/// </summary>
public sealed class ServiceAuthOptions
{
    public const string Section = "ServiceAuth";
    public const string Header = "X-Service-Key";

    public string? Key { get; set; }

    /// <summary>True when <paramref name="presented"/> is this deployment's service key (never when no key is configured).</summary>
    public bool Accepts(string? presented) =>
        !string.IsNullOrEmpty(Key) && !string.IsNullOrEmpty(presented) && ClientKeys.FixedTimeEquals(Key, presented);
}

public static class ServiceAuthentication
{
    /// <summary>Binds <see cref="ServiceAuthOptions"/>.</summary>
    public static IServiceCollection AddServiceAuth(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ServiceAuthOptions>(configuration.GetSection(ServiceAuthOptions.Section));

    /// <summary>
    /// Only callers with the service key: 401 ProblemDetails without it, and 503 when this service was
    /// given no key (it fails closed rather than open).
    /// </summary>
    public static TBuilder RequireServiceKey<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireHeaderKey(
            ServiceAuthOptions.Header,
            services => services.GetRequiredService<IOptionsMonitor<ServiceAuthOptions>>().CurrentValue.Key,
            () => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service key not configured",
                detail: $"This endpoint serves only our own services, and {ServiceAuthOptions.Section}:Key is not set."),
            "Service key");

    /// <summary>Adds the service key to every request of an HttpClient.</summary>
    public static IHttpClientBuilder AddServiceKey(this IHttpClientBuilder http) =>
        http.AddHttpMessageHandler(sp => new ServiceKeyHandler(sp.GetRequiredService<IOptionsMonitor<ServiceAuthOptions>>()));

    private sealed class ServiceKeyHandler(IOptionsMonitor<ServiceAuthOptions> options) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (options.CurrentValue.Key is { Length: > 0 } key)
            {
                request.Headers.Remove(ServiceAuthOptions.Header);
                request.Headers.Add(ServiceAuthOptions.Header, key);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
