using Microsoft.Extensions.Configuration;

namespace TradingAspire.AppHost;

/// <summary>
/// Who may do what: a generated deployment secret from which every client's API key is derived,
/// a generated admin key for admin endpoints (off unless <c>Admin:Enabled=true</c>), and a generated
/// operator key for the trace store's API and page (they hold every client's orders).
/// All are Aspire secret parameters, shown on the dashboard's Parameters tab, never committed.
/// </summary>
public sealed record AccessSecrets(
    IResourceBuilder<ParameterResource> ClientKeySecret,
    IResourceBuilder<ParameterResource> AdminKey,
    IResourceBuilder<ParameterResource> ServiceKey,
    bool AdminEnabled,
    IResourceBuilder<ParameterResource> OperatorKey);

public static class AccessResources
{
    public static AccessSecrets AddAccessSecrets(this IDistributedApplicationBuilder builder) => new(
        builder.AddParameter(ParameterNames.ClientKeySecret, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithDescription("Deployment secret: a client's API key is HMAC-SHA256(secret, clientId), hex."),
        builder.AddParameter(ParameterNames.AdminKey, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithDescription("Key for /admin endpoints (X-Admin-Key), when Admin:Enabled=true."),
        builder.AddParameter(ParameterNames.ServiceKey, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithDescription("Key our own services present to each other (X-Service-Key): execution → venues; the generator's trace context at the gateway."),
        builder.Configuration.GetValue("Admin:Enabled", false),
        builder.AddParameter(ParameterNames.OperatorKey, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithDescription("Key for the trace store (analytics): its API wants it in X-Operator-Key, its page asks for it once at /login."));

    /// <summary>The service calls, or is called by, another of our services with the service key.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceAuth(this IResourceBuilder<ProjectResource> service, AccessSecrets secrets) =>
        service.WithEnvironment("ServiceAuth__Key", secrets.ServiceKey);

    /// <summary>The service authenticates clients (or, for the generator, signs as them).</summary>
    public static IResourceBuilder<ProjectResource> WithClientAuth(this IResourceBuilder<ProjectResource> service, AccessSecrets secrets) =>
        service.WithEnvironment("ClientAuth__Secret", secrets.ClientKeySecret);

    /// <summary>The trace store's API and page, guarded by the operator key.</summary>
    public static IResourceBuilder<ProjectResource> WithOperatorAccess(this IResourceBuilder<ProjectResource> service, AccessSecrets secrets) =>
        service.WithEnvironment("TraceAnalytics__Api__OperatorKey", secrets.OperatorKey);

    /// <summary>The service's /admin endpoints, guarded by the admin key.</summary>
    public static IResourceBuilder<ProjectResource> WithAdmin(this IResourceBuilder<ProjectResource> service, AccessSecrets secrets) =>
        service.WithEnvironment("Admin__ApiKey", secrets.AdminKey)
            .WithEnvironment("Admin__Enabled", secrets.AdminEnabled ? "true" : "false");
}
