using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Waits until a write has reached the replicas of the master that took it (<c>WAIT n timeout</c> on that master),
/// where a later failover must not lose it: Redis replicates asynchronously, so a write a master acknowledged just
/// before it died can be missing on the replica promoted in its place. Used before the answers that promise
/// something outside Redis: the gateway's 202, execution sending a child order to a venue, a venue executing one.
/// Off unless <see cref="MessagingOptions.ReplicaAcks"/> is set (the AppHost sets 1 on a cluster with replicas).
/// A master that has no replica connected (its own was just promoted elsewhere) is not waited on: nothing could
/// acknowledge; the write is counted as unreplicated instead.
/// </summary>
public sealed class ReplicaAcknowledgement(IConnectionMultiplexer redis, MessagingOptions options)
{
    private static readonly Counter<long> Unreplicated = MessagingTelemetry.Meter.CreateCounter<long>(
        "trading.redis.unreplicated_writes", "{write}", "Writes promised on without the replicas' acknowledgement (none connected, or WAIT timed out).");

    private static readonly TimeSpan ReplicaCountTtl = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (long Replicas, long CheckedAt)> replicasByServer = new(StringComparer.Ordinal);

    public bool Enabled => options.ReplicaAcks > 0;

    /// <summary>Returns once <paramref name="key"/>'s master has <see cref="MessagingOptions.ReplicaAcks"/> replicas acknowledging every write before this call, or it cannot.</summary>
    public async ValueTask WaitAsync(RedisKey key)
    {
        if (!Enabled)
        {
            return;
        }

        var server = redis.GetServer(key);
        if (await ConnectedReplicasAsync(server) < options.ReplicaAcks)
        {
            Record("no_replica");
            return;
        }

        var acknowledged = (long)await server.ExecuteAsync("WAIT", options.ReplicaAcks, (long)options.ReplicaAckTimeout.TotalMilliseconds);
        if (acknowledged < options.ReplicaAcks)
        {
            Record("timeout");
        }
    }

    private async ValueTask<long> ConnectedReplicasAsync(IServer server)
    {
        var name = server.EndPoint.ToString() ?? "";
        var now = Stopwatch.GetTimestamp();
        if (replicasByServer.TryGetValue(name, out var known) && Stopwatch.GetElapsedTime(known.CheckedAt, now) < ReplicaCountTtl)
        {
            return known.Replicas;
        }

        var info = (string?)await server.ExecuteAsync("INFO", "replication") ?? "";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("connected_slaves:", StringComparison.Ordinal));
        var replicas = line is null ? 0 : long.Parse(line["connected_slaves:".Length..], CultureInfo.InvariantCulture);
        replicasByServer[name] = (replicas, now);
        return replicas;
    }

    private static void Record(string reason)
    {
        Unreplicated.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Activity.Current?.AddEvent(new ActivityEvent("redis.unreplicated", tags: new ActivityTagsCollection { ["reason"] = reason }));
    }
}
