using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace TradingAspire.AppHost;

/// <summary>Redis as the services see it: what to reference (connection "redis") and what to wait for.</summary>
public sealed record RedisDeployment(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource>? WaitTarget, string Kind);

/// <summary>
/// Chooses where Redis comes from, in this order:
/// 1. <c>ConnectionStrings:redis</c> configured → that external Redis;
/// 2. <c>redis-server</c> on PATH (or <c>Redis:ServerPath</c>) → run it as an executable: loopback only,
///    generated password, its own port and data dir, AOF on (<c>appendfsync always</c>, <c>Redis:AppendFsync</c>);
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

    /// <summary>The resource to wait for before Redis answers (none when Redis is external).</summary>
    public static IResource? ServerResource(DistributedApplicationModel model) =>
        model.Resources.FirstOrDefault(r => r.Name == ResourceName && r is not ConnectionStringResource);

    /// <summary>
    /// Redis's AOF fsync policy unless <c>Redis:AppendFsync</c> says otherwise: "always" writes and fsyncs
    /// the AOF before Redis answers, so an order answered 202 survives a crash of Redis or of the machine.
    /// </summary>
    public const string DefaultAppendFsync = "always";

    public static RedisDeployment AddTradingRedis(this IDistributedApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            return new RedisDeployment(builder.AddConnectionString(ConnectionName), null, "external");
        }

        var serverPath = builder.Configuration["Redis:ServerPath"] ?? FindOnPath("redis-server");
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
        var dataDir = Path.GetFullPath(builder.Configuration["Redis:DataDir"] ?? Path.Combine(builder.AppHostDirectory, ".redis-data"));
        Directory.CreateDirectory(dataDir);

        var password = builder.AddParameter(ParameterNames.RedisPassword,
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);

        // The password goes into a config file only the owner can read, never onto the command line
        // (where `ps` and the dashboard's resource list would show it).
        var secretsFile = Path.Combine(dataDir, "secrets.conf");
        // "always": Redis writes and fsyncs the AOF before it answers, so an order answered 202 survives
        // a crash of Redis or of the machine. "everysec" is faster and may lose the last second on a
        // machine crash (bench/README.md has the cost of each, measured side by side).
        var appendFsync = builder.Configuration["Redis:AppendFsync"] ?? DefaultAppendFsync;
        if (appendFsync is not ("always" or "everysec" or "no"))
        {
            throw new DistributedApplicationException($"Redis:AppendFsync must be always, everysec or no, not '{appendFsync}'.");
        }

        var redis = builder.AddExecutable(ResourceName, serverPath, dataDir)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithIconName("Database")
            .OnBeforeResourceStarted(async (_, _, cancellationToken) =>
            {
                var secret = await password.Resource.GetValueAsync(cancellationToken);
                File.Delete(secretsFile);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using var file = new StreamWriter(secretsFile, options);
                await file.WriteAsync($"requirepass \"{secret}\"\n");
            });
        var endpoint = redis.GetEndpoint("tcp");

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
        });

        var healthKey = $"{ResourceName}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, async cancellationToken =>
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy("Endpoint not allocated yet.");
            }

            var secret = await password.Resource.GetValueAsync(cancellationToken);
            return await PingAsync($"{endpoint.Host}:{endpoint.Port},password={secret}");
        });
        redis.WithHealthCheck(healthKey);

        var connection = builder.AddConnectionString(ExecutableConnectionResourceName,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}"));
        return new RedisDeployment(connection, redis, "executable");
    }

    /// <summary>AUTH + PING: unhealthy while Redis is down or still loading its AOF.</summary>
    private static async Task<HealthCheckResult> PingAsync(string connectionString)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            options.ConnectRetry = 0;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            var latency = await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"PONG in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }

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
