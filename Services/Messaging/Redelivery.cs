using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Takes one entry from its first attempt to its end: runs the <see cref="EntryProcessor{T,THandler}"/>
/// again with exponential, jittered backoff (Polly) for as long as it asks for a retry, and between
/// attempts claims the entry again — counting a delivery (XCLAIM, which also fetches the entry anew, or
/// finds it gone) or, while it only waits for something away, without counting (XCLAIM JUSTID, which
/// keeps it ours). Whatever escapes (stopping, Redis away while dead-lettering) leaves it pending for
/// reclaim, and no delivery ends as an unobserved task fault.
/// </summary>
internal sealed class Redelivery<T, THandler>
    where THandler : class, IStreamHandler<T>
{
    private static readonly ResiliencePropertyKey<Delivery> DeliveryKey = new("delivery");

    private readonly EntryProcessor<T, THandler> processor;
    private readonly ConsumerIdentity identity;
    private readonly IConnectionMultiplexer redis;
    private readonly ConsumerLog log;
    private readonly ResiliencePipeline<NextStep> pipeline;

    public Redelivery(EntryProcessor<T, THandler> processor, ConsumerIdentity identity, MessagingOptions options, IConnectionMultiplexer redis, ConsumerLog log)
    {
        this.processor = processor;
        this.identity = identity;
        this.redis = redis;
        this.log = log;
        pipeline = new ResiliencePipelineBuilder<NextStep>()
        .AddRetry(new RetryStrategyOptions<NextStep>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is NextStep.RetryCounting or NextStep.RetryWithoutCounting),
            MaxRetryAttempts = int.MaxValue, // bounded by the policy: MaxDeliveries for failures, TransientRetryBudget for waiting
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = args => new ValueTask(ClaimAgainAsync(args.Context.Properties.GetValue(DeliveryKey, null!), args.Outcome.Result, args.Context.CancellationToken)),
        })
        .Build();
    }

    public async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeliveryKey, delivery);
        try
        {
            await pipeline.ExecuteAsync(
                static async (ctx, self) => await self.processor.ProcessAsync(ctx.Properties.GetValue(DeliveryKey, null!), ctx.CancellationToken),
                context,
                this);
        }
        catch (Exception ex)
        {
            log.LeftPending(ex, identity.Stream, delivery.Entry.Id);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task ClaimAgainAsync(Delivery delivery, NextStep step, CancellationToken cancellationToken)
    {
        try
        {
            var db = redis.GetDatabase();
            if (step == NextStep.RetryWithoutCounting)
            {
                var kept = await db.StreamClaimIdsOnlyAsync(identity.Stream, identity.Group, identity.Consumer, 0, [delivery.Entry.Id]);
                delivery.Abandoned = kept.Length == 0;
                return;
            }

            var claimed = await db.StreamClaimAsync(identity.Stream, identity.Group, identity.Consumer, 0, [delivery.Entry.Id]);
            if (claimed.Length == 0 || claimed[0].IsNull)
            {
                delivery.Abandoned = true;
                return;
            }

            delivery.Entry = RawStreamEntry.From(claimed[0]);
            delivery.DeliveryCount++;
            MessagingTelemetry.Redelivered.Add(1, identity.StreamTag, identity.GroupTag);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A claim is Redis and nothing else: whatever failed (a timeout, a lost connection, a command
            // cancelled as its socket was torn down), Redis is away. Try the same entry again after the next
            // backoff, counting no delivery.
            delivery.TransientSince ??= DateTimeOffset.UtcNow;
        }
    }
}
