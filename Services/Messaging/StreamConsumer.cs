using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Messaging;

/// <summary>
/// Consumes one stream as one member of a consumer group and hands each entry to
/// <typeparamref name="THandler"/>. Composes the parts, each a type of its own:
/// <see cref="ConsumerGroup"/> (the group exists), <see cref="DeliveryLoop"/> (reading, at most
/// MaxConcurrency in flight via <see cref="InFlightDeliveries"/>), <see cref="Redelivery{T,THandler}"/>
/// (attempts and backoff) around <see cref="EntryProcessor{T,THandler}"/> (one attempt, in its span),
/// <see cref="RedeliveryPolicy"/> (what a result leads to) and <see cref="HousekeepingTimer"/> (reclaim,
/// leases, lag, trimming). An entry is acknowledged only after its handler returned; on stopping,
/// entries in flight finish (up to DrainTimeout) or stay pending for reclaim.
/// </summary>
internal sealed class StreamConsumer<T, THandler> : BackgroundService
    where THandler : class, IStreamHandler<T>
{
    private readonly ConsumerIdentity identity;
    private readonly MessagingOptions options;
    private readonly IConnectionMultiplexer redis;
    private readonly string connectionString;
    private readonly ConsumerLog log;
    private readonly ConsumerGroup group;
    private readonly InFlightDeliveries deliveries;
    private readonly LegacyDrain? legacy;

    /// <param name="legacyForwardTag">
    /// Set for a stream of the layout before partitions (<c>orders.new</c>): it is only drained — read if its group still
    /// has work, until none is left — and what its handler forwards goes to that partition of the new streams.
    /// </param>
    public StreamConsumer(
        string stream, string groupName, ConsumerTracing tracing, MessagingOptions options, IConnectionMultiplexer redis,
        IServiceScopeFactory scopes, IStreamPublisher publisher, IConfiguration configuration, ILogger<StreamConsumer<T, THandler>> logger,
        string? legacyForwardTag = null)
    {
        this.options = options;
        this.redis = redis;
        identity = new ConsumerIdentity(stream, groupName, ConsumerNames.For(groupName, options.ConsumerName))
        {
            ForwardTag = legacyForwardTag ?? StreamPartitions.TagIn(stream),
        };
        connectionString = configuration.GetConnectionString(options.ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{options.ConnectionName} is not configured.");
        log = new ConsumerLog(logger);
        group = new ConsumerGroup(redis, identity, log);
        var processor = new EntryProcessor<T, THandler>(identity, tracing, options, new RedeliveryPolicy(options.MaxDeliveries, options.TransientRetryBudget), redis, scopes, publisher, log);
        var redelivery = new Redelivery<T, THandler>(processor, identity, options, redis, log);
        deliveries = new InFlightDeliveries(options.MaxConcurrency, redelivery.DeliverAsync);
        legacy = legacyForwardTag is null ? null : new LegacyDrain(redis, identity, options, logger);
    }

    public string ConsumerName => identity.Consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (legacy is not null && !await legacy.HasWorkAsync(stoppingToken))
        {
            return;
        }

        await using var reader = new BlockingStreamReader(connectionString, identity.Stream, identity.Group, identity.Consumer);
        await reader.ConnectAsync(options.BlockTime);
        if (legacy is null)
        {
            await group.EnsureExistsAsync(stoppingToken);
        }

        log.Started(identity.Stream, identity.Group, identity.Consumer);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var drained = legacy?.StopWhenDrainedAsync(running, stoppingToken) ?? Task.CompletedTask;
        var loop = new DeliveryLoop(reader, deliveries, group, identity, options, redis, log);
        var housekeeping = new HousekeepingTimer(new StreamHousekeeper(redis, identity.Stream, identity.Group, options), deliveries, identity, options, log)
            .RunAsync(running.Token);
        await loop.RecoverOwnPendingAsync(running.Token);
        await loop.RunAsync(running.Token);
        await deliveries.DrainAsync(options.DrainTimeout, count => log.Draining(identity.Stream, count));
        await housekeeping;
        await drained;
    }

    public override void Dispose()
    {
        deliveries.Dispose();
        base.Dispose();
    }
}
