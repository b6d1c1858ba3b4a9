using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace TradingAspire.AppHost;

/// <summary>
/// One redis-server process run by Aspire, as the standalone Redis and each cluster node are: bound to
/// 127.0.0.1, its own data dir (the working directory), AOF on, the generated password in a config
/// file only the owner can read (never on the command line, where <c>ps</c> and the dashboard would
/// show it), and a health check (AUTH + PING of this very server).
/// </summary>
public static class RedisServerExecutable
{
    /// <summary>The endpoint clients connect to.</summary>
    public const string EndpointName = "tcp";

    /// <summary>Redis's AOF fsync policy from <c>Redis:AppendFsync</c> (default <see cref="TradingRedis.DefaultAppendFsync"/>).</summary>
    public static string AppendFsync(IConfiguration configuration)
    {
        var appendFsync = configuration["Redis:AppendFsync"] ?? TradingRedis.DefaultAppendFsync;
        if (appendFsync is not ("always" or "everysec" or "no"))
        {
            throw new DistributedApplicationException($"Redis:AppendFsync must be always, everysec or no, not '{appendFsync}'.");
        }

        return appendFsync;
    }

    /// <param name="isProxied">
    /// null: DCP's endpoint proxy in front (clients use the proxy's port, Redis listens on another);
    /// false: no proxy, Redis listens on the port clients use (a cluster node announces its own port).
    /// </param>
    /// <param name="masterAuth">Also give the password as <c>masterauth</c>, for a replica to authenticate to its master.</param>
    /// <param name="extraArgs">Further arguments after the common ones (cluster settings).</param>
    public static IResourceBuilder<ExecutableResource> AddRedisServer(
        this IDistributedApplicationBuilder builder,
        string name,
        string serverPath,
        string dataDir,
        IResourceBuilder<ParameterResource> password,
        string appendFsync,
        bool? isProxied = null,
        bool masterAuth = false,
        Action<CommandLineArgsCallbackContext>? extraArgs = null)
    {
        Directory.CreateDirectory(dataDir);
        var secretsFile = Path.Combine(dataDir, "secrets.conf");
        var redis = builder.AddExecutable(name, serverPath, dataDir)
            .WithEndpoint(name: EndpointName, scheme: "tcp", isProxied: isProxied)
            .WithIconName("Database")
            .OnBeforeResourceStarted(async (_, _, cancellationToken) =>
            {
                var secret = await password.Resource.GetValueAsync(cancellationToken);
                await WriteSecretsFileAsync(secretsFile, secret, masterAuth, cancellationToken);
            });
        var endpoint = redis.GetEndpoint(EndpointName);

        redis.WithArgs(context =>
        {
            context.Args.Add(secretsFile);
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--protected-mode");
            context.Args.Add("yes");
            context.Args.Add("--dir");
            context.Args.Add(dataDir);
            context.Args.Add("--appendonly");
            context.Args.Add("yes");
            context.Args.Add("--appendfsync");
            context.Args.Add(appendFsync);
            context.Args.Add("--save");
            context.Args.Add("");
            extraArgs?.Invoke(context);
        });

        var healthKey = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, async cancellationToken =>
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy("Endpoint not allocated yet.");
            }

            var secret = await password.Resource.GetValueAsync(cancellationToken);
            return await PingAsync($"{endpoint.Host}:{endpoint.Port},password={secret}");
        });
        return redis.WithHealthCheck(healthKey);
    }

    /// <summary>Rewrites the config file with the password, readable and writable by the owner only.</summary>
    private static async Task WriteSecretsFileAsync(string path, string? secret, bool masterAuth, CancellationToken cancellationToken)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new StreamWriter(path, options);
        await file.WriteAsync($"requirepass \"{secret}\"\n".AsMemory(), cancellationToken);
        if (masterAuth)
        {
            await file.WriteAsync($"masterauth \"{secret}\"\n".AsMemory(), cancellationToken);
        }
    }

    /// <summary>AUTH + PING of the server the connection string names first: unhealthy while it is down or still loading its AOF.</summary>
    public static async Task<HealthCheckResult> PingAsync(string connectionString)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            options.ConnectRetry = 0;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            // This server, not whichever node of a cluster the multiplexer would pick.
            var latency = await connection.GetServer(options.EndPoints[0]).PingAsync();
            return HealthCheckResult.Healthy($"PONG in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
