using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingAspire.Contracts;

namespace TradingAspire.AppHost;

/// <summary>
/// Writes this run's <see cref="LocalEndpoints"/> (URLs of the gateway, notification and trace store, and the
/// client-key secret, the trace store's operator key, and Redis's connection string) to <c>.data/endpoints.json</c> beside the AppHost, readable by its owner only, once the
/// resources are created; removes it when the AppHost stops. <c>LocalTools:EndpointsFile</c> moves it; empty turns it off.
/// </summary>
public static class LocalEndpointsFile
{
    public const string ConfigKey = "LocalTools:EndpointsFile";

    public static void AddLocalEndpointsFile(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ProjectResource> notification,
        IResourceBuilder<ProjectResource> analytics,
        AccessSecrets access,
        RedisDeployment redis)
    {
        var configured = builder.Configuration[ConfigKey];
        var path = configured ?? Path.Combine(builder.AppHostDirectory, LocalEndpoints.DefaultRelativePath);
        if (string.IsNullOrWhiteSpace(path) || !builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalEndpointsFile));
            try
            {
                await WriteAsync(path, gateway, notification, analytics, access, redis, cancellationToken);
                @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => File.Delete(path));
                logger.LogInformation("Endpoints for local tools (the load tool) written to {Path}", path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Could not write the endpoints file {Path}; local tools need --gateway, --notifications and --secret", path);
            }
        });
    }

    private static async Task WriteAsync(
        string path,
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ProjectResource> notification,
        IResourceBuilder<ProjectResource> analytics,
        AccessSecrets access,
        RedisDeployment redis,
        CancellationToken cancellationToken)
    {
        var endpoints = new LocalEndpoints(
            gateway.GetEndpoint("http").Url,
            notification.GetEndpoint("http").Url,
            analytics.GetEndpoint("http").Url,
            await access.ClientKeySecret.Resource.GetValueAsync(cancellationToken) ?? "",
            await access.OperatorKey.Resource.GetValueAsync(cancellationToken) ?? "",
            Environment.ProcessId,
            DateTimeOffset.UtcNow,
            await redis.Connection.Resource.GetConnectionStringAsync(cancellationToken));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(endpoints.ToJson());
    }
}
