using TradingAspire.Contracts;
using System.Collections.Immutable;

namespace TradingAspire.AppHost;

/// <summary>
/// A Redis stream between services, as a resource on the dashboard: who publishes to it, which
/// consumer groups read it (a group is named after its service), and — kept current by
/// <see cref="StreamMonitor"/> — its length and each group's lag and pending entries.
/// </summary>
public sealed class RedisStreamResource(string name, string key, IReadOnlyList<string> redisKeys) : Resource(name)
{
    public const string ResourceType = "RedisStream";

    /// <summary>The stream's name, e.g. <c>orders.new</c>.</summary>
    public string Key { get; } = key;

    /// <summary>Its Redis streams: one per partition (<c>orders.new{p0}</c>, …), or just <see cref="Key"/> when it is not partitioned.</summary>
    public IReadOnlyList<string> RedisKeys { get; } = redisKeys;

    public List<string> Producers { get; } = [];

    public List<string> ConsumerGroups { get; } = [];
}

/// <summary>
/// The stream topology, declared once in the AppHost: <c>gateway.Publishes(ordersNew)</c>,
/// <c>risk.Consumes(ordersNew)</c>. The relationships draw the dashboard's resource graph
/// (gateway → orders.new → risk …); a test checks the declaration against the groups in Redis
/// and the <c>send</c> spans in the traces, so it cannot drift from the code.
/// </summary>
public static class StreamTopology
{
    /// <summary>A stream; <paramref name="partitions"/> for an order stream (one Redis stream per partition), null for one that is not partitioned.</summary>
    public static IResourceBuilder<RedisStreamResource> AddStream(this IDistributedApplicationBuilder builder, string key, RedisDeployment redis, StreamPartitions? partitions = null)
    {
        var stream = builder.AddResource(new RedisStreamResource(ResourceName(key), key, partitions?.AllStreams(key) ?? [key]))
            .WithIconName("ArrowRoutingRectangleMultiple")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = RedisStreamResource.ResourceType,
                State = KnownResourceStates.Waiting,
                Properties = [new ResourcePropertySnapshot("stream.key", key)],
            });
        if (redis.WaitTarget is not null)
        {
            stream.WithRelationship(redis.WaitTarget.Resource, "StoredIn");
        }

        return stream;
    }

    /// <summary>The service adds entries to <paramref name="stream"/>.</summary>
    public static IResourceBuilder<ProjectResource> Publishes(this IResourceBuilder<ProjectResource> producer, params IResourceBuilder<RedisStreamResource>[] streams)
    {
        foreach (var stream in streams)
        {
            stream.Resource.Producers.Add(producer.Resource.Name);
            producer.WithRelationship(stream.Resource, "Publishes");
        }

        return producer;
    }

    /// <summary>The service reads <paramref name="streams"/> as the consumer group named after it.</summary>
    public static IResourceBuilder<ProjectResource> Consumes(this IResourceBuilder<ProjectResource> consumer, params IResourceBuilder<RedisStreamResource>[] streams)
    {
        foreach (var stream in streams)
        {
            stream.Resource.ConsumerGroups.Add(consumer.Resource.Name);
            stream.WithRelationship(consumer.Resource, "DeliversTo");
        }

        return consumer;
    }

    /// <summary>A resource name from a stream key (resource names allow letters, digits and hyphens).</summary>
    public static string ResourceName(string key) => "stream-" + key.Replace('.', '-');

    internal static ImmutableArray<ResourcePropertySnapshot> Describe(RedisStreamResource stream) =>
    [
        new("stream.key", stream.Key),
        new("stream.partitions", stream.RedisKeys.Count),
        new("stream.redis_keys", string.Join(", ", stream.RedisKeys)),
        new("stream.producers", string.Join(", ", stream.Producers)),
        new("stream.consumer_groups", string.Join(", ", stream.ConsumerGroups)),
        new("stream.dead_letters", string.Join(", ", stream.RedisKeys.Select(StreamPartitions.DeadLetterStream))),
    ];
}
