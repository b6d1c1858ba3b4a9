using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Gateway;

/// <summary>Load shedding (section <c>Gateway</c>).</summary>
public sealed class BacklogOptions
{
    /// <summary>Entries waiting in any one consumer group of one order stream, all partitions together (undelivered + unacknowledged), above which new orders get 429.</summary>
    public long MaxStreamBacklog { get; set; } = 5000;

    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// How far behind the pipeline is: for every consumer group of the order streams, the entries not
/// yet delivered (lag) plus those delivered and not acknowledged (pending), refreshed in the
/// background. Above the bound the gateway sheds new orders with 429 + Retry-After instead of
/// letting queues grow without limit, and its health check reports Degraded.
/// </summary>
public sealed partial class StreamBacklog(IConnectionMultiplexer redis, StreamPartitions partitions, IOptions<BacklogOptions> options, ILogger<StreamBacklog> logger)
    : BackgroundService, IHealthCheck
{
    private static readonly string[] Watched = [Streams.OrdersNew, Streams.OrdersApproved, Streams.OrdersFilled, Streams.OrdersRejected];
    private long depth;
    private string deepest = "";

    public long Bound => options.Value.MaxStreamBacklog;

    public bool IsOverloaded(out long current)
    {
        current = Interlocked.Read(ref depth);
        return current > Bound;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wasOverloaded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (SuppressInstrumentationScope.Begin())
                {
                    await RefreshAsync();
                }

                var overloaded = IsOverloaded(out var current);
                if (overloaded != wasOverloaded)
                {
                    LogChanged(overloaded ? "shedding" : "accepting", current, deepest, Bound);
                    wasOverloaded = overloaded;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis down: intake refuses with 503 on its own; keep the last reading.
            }

            try
            {
                await Task.Delay(options.Value.RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RefreshAsync()
    {
        var db = redis.GetDatabase();
        long max = 0;
        var where = "";
        foreach (var stream in Watched)
        {
            var byGroup = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var partition in partitions.AllStreams(stream))
            {
                if (!await db.KeyExistsAsync(partition))
                {
                    continue;
                }

                foreach (var group in await db.StreamGroupInfoAsync(partition))
                {
                    byGroup[group.Name] = byGroup.GetValueOrDefault(group.Name) + (group.Lag ?? 0) + group.PendingMessageCount;
                }
            }

            foreach (var (group, backlog) in byGroup)
            {
                if (backlog > max)
                {
                    max = backlog;
                    where = $"{stream}/{group}";
                }
            }
        }

        Interlocked.Exchange(ref depth, max);
        deepest = where;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["backlog"] = Interlocked.Read(ref depth), ["bound"] = Bound, ["deepest"] = deepest };
        return Task.FromResult(IsOverloaded(out var current)
            ? HealthCheckResult.Degraded($"Backlog {current} at {deepest} is over {Bound}: shedding new orders.", data: data)
            : HealthCheckResult.Healthy($"Backlog {current}.", data));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway now {State}: backlog {Backlog} at {Deepest} (bound {Bound})")]
    private partial void LogChanged(string state, long backlog, string deepest, long bound);
}
