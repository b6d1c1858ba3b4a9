using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace TradingAspire.AppHost;

/// <summary>Redis as the services see it: what to reference (connection "redis") and what to wait for.</summary>
public sealed record RedisDeployment(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource>? WaitTarget, string Kind);

/// <summary>
/// Chooses where Redis comes from, in this order:
/// 1. <c>ConnectionStrings:redis</c> configured → that external Redis;
/// 2. <c>redis-server</c> on PATH (or <c>Redis:ServerPath</c>) → run it as an executable: loopback only,
///    generated password, its own port and data dir, AOF on (<c>appendfsync always</c>, <c>Redis:AppendFsync</c>);
///    with <c>Redis:Mode=cluster</c>, a Redis Cluster of such processes instead (<see cref="RedisClusterExecutables"/>);
/// 3. a container runtime that answers → <c>AddRedis</c>;
/// otherwise fail at once saying how to install redis-server (an unhealthy container runtime would
/// otherwise leave every service waiting forever without an error).
/// </summary>
public static class TradingRedis
{
    public const string ResourceName = "redis";
    public const string ConnectionName = "redis";

    /// <summary>The connection-string resource of a redis-server run as an executable (the executable itself is <see cref="ResourceName"/>).</summary>
    public const string ExecutableConnectionResourceName = ResourceName + "-cs";

    /// <summary>
    /// The resource whose connection string the services get as <see cref="ConnectionName"/>, whichever
    /// of the three ways Redis was provided (external, executable, container).
    /// </summary>
    public static IResourceWithConnectionString ConnectionResource(DistributedApplicationModel model) =>
        model.Resources.OfType<IResourceWithConnectionString>().FirstOrDefault(r => r.Name == ExecutableConnectionResourceName)
        ?? model.Resources.OfType<IResourceWithConnectionString>().First(r => r.Name is ResourceName or ConnectionName);

    /// <summary>
    /// The resource to wait for before Redis answers: the redis-server, or in cluster mode the cluster
    /// (healthy once every slot is served); none when Redis is external.
    /// </summary>
    public static IResource? ServerResource(DistributedApplicationModel model) =>
        model.Resources.FirstOrDefault(r => r.Name == ResourceName && r is not ConnectionStringResource);

    /// <summary>
    /// Redis's AOF fsync policy unless <c>Redis:AppendFsync</c> says otherwise: "always" writes and fsyncs
    /// the AOF before Redis answers, so an order answered 202 survives a crash of Redis or of the machine.
    /// </summary>
    public const string DefaultAppendFsync = "always";

    /// <summary><c>Redis:Mode</c>: one redis-server (the default)…</summary>
    public const string StandaloneMode = "standalone";

    /// <summary>…or a Redis Cluster of redis-server processes (<see cref="RedisClusterExecutables"/>).</summary>
    public const string ClusterMode = "cluster";

    public static RedisDeployment AddTradingRedis(this IDistributedApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            return new RedisDeployment(builder.AddConnectionString(ConnectionName), null, "external");
        }

        var serverPath = builder.Configuration["Redis:ServerPath"] ?? FindOnPath("redis-server");
        var mode = builder.Configuration["Redis:Mode"] ?? StandaloneMode;
        if (mode == ClusterMode)
        {
            // One partition of the order streams per master unless told otherwise: the partitions' hash tags spread them over the masters.
            var cluster = RedisClusterOptions.From(builder.Configuration);
            builder.Configuration["Messaging:Partitions"] ??= cluster.Masters.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Promises made outside Redis (a 202, a child order sent, a venue fill) wait for a replica: a failover must not lose them.
            builder.Configuration["Messaging:ReplicaAcks"] ??= cluster.ReplicasPerMaster > 0 ? "1" : "0";
            return serverPath is not null
                ? builder.AddRedisClusterExecutables(serverPath)
                : throw new DistributedApplicationException(
                    "Redis:Mode=cluster runs redis-server processes, but redis-server is not on PATH: install it with " +
                    "`sudo apt-get update && sudo apt-get install -y redis-server` or set Redis:ServerPath.");
        }

        if (mode != StandaloneMode)
        {
            throw new DistributedApplicationException($"Redis:Mode must be {StandaloneMode} or {ClusterMode}, not '{mode}'.");
        }

        if (serverPath is not null)
        {
            return AddRedisServerExecutable(builder, serverPath);
        }

        if (ContainerRuntimeAnswers())
        {
            var container = builder.AddRedis(ResourceName);
            return new RedisDeployment(container, container, "container");
        }

        throw new DistributedApplicationException(
            "Redis is required but none was found: redis-server is not on PATH, no container runtime is running, " +
            "and ConnectionStrings:redis is not set. Install it with `sudo apt-get update && sudo apt-get install -y redis-server` " +
            "(the README's run command does this), or point at an existing Redis with " +
            "`dotnet run --project TradingAspire.AppHost -- --ConnectionStrings:redis=host:6379,password=...`.");
    }

    private static RedisDeployment AddRedisServerExecutable(IDistributedApplicationBuilder builder, string serverPath)
    {
        var dataDir = DataDir(builder);
        var password = AddPassword(builder);
        // "always": Redis writes and fsyncs the AOF before it answers, so an order answered 202 survives
        // a crash of Redis or of the machine. "everysec" is faster and may lose the last second on a
        // machine crash (bench/README.md has the cost of each, measured side by side).
        var redis = builder.AddRedisServer(ResourceName, serverPath, dataDir, password, RedisServerExecutable.AppendFsync(builder.Configuration));
        var endpoint = redis.GetEndpoint(RedisServerExecutable.EndpointName);
        var connection = builder.AddConnectionString(ExecutableConnectionResourceName,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}"));
        return new RedisDeployment(connection, redis, "executable");
    }

    /// <summary><c>Redis:DataDir</c>, by default <c>.redis-data</c> beside the AppHost.</summary>
    internal static string DataDir(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["Redis:DataDir"] ?? Path.Combine(builder.AppHostDirectory, ".redis-data"));

    /// <summary>The generated password (new every run), shown on the dashboard's Parameters tab.</summary>
    internal static IResourceBuilder<ParameterResource> AddPassword(IDistributedApplicationBuilder builder) =>
        builder.AddParameter(ParameterNames.RedisPassword, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);

    /// <summary>True only when a container engine answers within 5 s (a docker client alone is not enough).</summary>
    private static bool ContainerRuntimeAnswers()
    {
        if (FindOnPath("docker") is not { } docker)
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(docker, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(5000))
            {
                process.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
