using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Polly;
using Polly.Retry;
using StackExchange.Redis;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>
/// Consumes one stream as one member of a consumer group and hands each entry to
/// <typeparamref name="THandler"/> inside a <c>process &lt;stream&gt;</c> span that continues the
/// producer's trace. An entry is acknowledged only after its handler returned (having published
/// its output); a failing entry is delivered again with backoff (its delivery count grows) and
/// after <see cref="MessagingOptions.MaxDeliveries"/> it moves to <c>&lt;stream&gt;.dead</c>;
/// entries left pending by a dead consumer are claimed after <see cref="MessagingOptions.ClaimIdleTime"/>.
/// </summary>
internal sealed partial class StreamConsumerService<T, THandler> : BackgroundService
    where THandler : class, IStreamHandler<T>
{
    private static readonly ResiliencePropertyKey<Delivery> DeliveryKey = new("delivery");

    private readonly string stream;
    private readonly string group;
    private readonly string consumer;
    private readonly MessagingOptions options;
    private readonly IConnectionMultiplexer redis;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger logger;
    private readonly string connectionString;
    private readonly SemaphoreSlim capacity;
    private readonly ConcurrentDictionary<string, Task> inFlight = new(StringComparer.Ordinal);
    private readonly ResiliencePipeline redelivery;
    private readonly CancellationTokenSource handlerStop = new();
    private DateTimeOffset nextTrim = DateTimeOffset.MinValue;

    public StreamConsumerService(
        string stream, string group, MessagingOptions options, IConnectionMultiplexer redis,
        IServiceScopeFactory scopes, IConfiguration configuration, ILogger<StreamConsumerService<T, THandler>> logger)
    {
        this.stream = stream;
        this.group = group;
        this.options = options;
        this.redis = redis;
        this.scopes = scopes;
        this.logger = logger;
        consumer = options.ConsumerName ?? $"{group}-{Environment.MachineName}-{Environment.ProcessId}";
        connectionString = configuration.GetConnectionString(options.ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{options.ConnectionName} is not configured.");
        capacity = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        redelivery = BuildRedeliveryPipeline();
    }

    public string ConsumerName => consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var reader = new BlockingStreamReader(connectionString, stream, group, consumer);
        await reader.ConnectAsync(options.BlockTime);
        await EnsureGroupAsync(stoppingToken);
        LogStarted(stream, group, consumer);

        var housekeeping = RunHousekeepingAsync(stoppingToken);
        await RecoverOwnPendingAsync(reader, stoppingToken);
        await ReadLoopAsync(reader, stoppingToken);
        await DrainAsync();
        await housekeeping.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task ReadLoopAsync(BlockingStreamReader reader, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await capacity.WaitAsync(stoppingToken);
                var slots = 1 + capacity.CurrentCount;
                IReadOnlyList<RawStreamEntry> entries;
                try
                {
                    entries = await reader.ReadNewAsync(slots, options.BlockTime).WaitAsync(stoppingToken);
                }
                catch
                {
                    capacity.Release();
                    throw;
                }

                failures = 0;
                if (entries.Count == 0)
                {
                    capacity.Release();
                    continue;
                }

                for (var i = 0; i < entries.Count; i++)
                {
                    if (i > 0)
                    {
                        await capacity.WaitAsync(CancellationToken.None);
                    }

                    Dispatch(entries[i], deliveryCount: 1);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
            {
                LogGroupMissing(stream, group);
                await EnsureGroupAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
            {
                failures++;
                if (failures == 1 || failures % 20 == 0)
                {
                    LogReadFailed(ex, stream, failures);
                }

                await DelayQuietly(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6)))), stoppingToken);
            }
        }
    }

    /// <summary>Starts processing one entry; the caller already holds a capacity slot.</summary>
    private void Dispatch(RawStreamEntry entry, int deliveryCount)
    {
        if (inFlight.ContainsKey(entry.Id))
        {
            capacity.Release();
            return;
        }

        var task = Task.Run(() => ProcessWithRedeliveryAsync(entry, deliveryCount));
        inFlight[entry.Id] = task;
        _ = task.ContinueWith(
            _ =>
            {
                inFlight.TryRemove(entry.Id, out Task? _);
                capacity.Release();
            },
            TaskScheduler.Default);
    }

    private async Task ProcessWithRedeliveryAsync(RawStreamEntry entry, int deliveryCount)
    {
        var delivery = new Delivery(entry, deliveryCount);
        var context = ResilienceContextPool.Shared.Get(handlerStop.Token);
        context.Properties.Set(DeliveryKey, delivery);
        try
        {
            await redelivery.ExecuteAsync(
                static async (ctx, self) => await self.ProcessOnceAsync(ctx.Properties.GetValue(DeliveryKey, null!), ctx.CancellationToken),
                context,
                this);
        }
        catch (RetryableDeliveryException)
        {
            // Out of attempts in this process without reaching MaxDeliveries (e.g. shutting down): it stays pending.
        }
        catch (Exception ex)
        {
            // Redis away, or stopping: it stays pending and is delivered again (own recovery or reclaim).
            // Caught here, whatever it is, so that no delivery ends as an unobserved task fault.
            LogLeftPending(ex, stream, entry.Id);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline BuildRedeliveryPipeline() =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RetryableDeliveryException>(),
                // Bounded by the handler path: MaxDeliveries for failures, TransientRetryBudget for transient ones.
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = async args =>
                {
                    var delivery = args.Context.Properties.GetValue(DeliveryKey, null!);
                    try
                    {
                        await ClaimForRedeliveryAsync(delivery);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A claim is Redis and nothing else: whatever failed, Redis is away (or its connection is
                        // being torn down). Try the same entry again after the next backoff, counting no delivery.
                        delivery.TransientSince ??= DateTimeOffset.UtcNow;
                    }
                },
            })
            .Build();

    /// <summary>
    /// XCLAIM to ourselves: bumps the delivery count and fetches the entry again (gone if someone acked
    /// it). After a transient failure, XCLAIM JUSTID instead: it keeps the entry ours (its idle time
    /// restarts, so no other consumer takes it over) without counting a delivery toward MaxDeliveries.
    /// </summary>
    private async Task ClaimForRedeliveryAsync(Delivery delivery)
    {
        if (delivery.TransientSince is not null)
        {
            var kept = await redis.GetDatabase().StreamClaimIdsOnlyAsync(stream, group, consumer, 0, [delivery.Entry.Id]);
            delivery.Abandoned = kept.Length == 0;
            return;
        }

        var claimed = await redis.GetDatabase().StreamClaimAsync(stream, group, consumer, 0, [delivery.Entry.Id]);
        if (claimed.Length == 0 || claimed[0].IsNull)
        {
            delivery.Abandoned = true;
            return;
        }

        delivery.Entry = RawStreamEntry.From(claimed[0]);
        delivery.DeliveryCount++;
        MessagingTelemetry.Redelivered.Add(1, MessagingTelemetry.Destination(stream), MessagingTelemetry.Group(group));
    }

    private async ValueTask ProcessOnceAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Abandoned)
        {
            return;
        }

        var entry = delivery.Entry;
        var parent = TraceContextCarrier.Extract(entry.Fields);
        Baggage.Current = parent.Baggage;
        using var activity = MessagingTelemetry.Source.StartActivity(
            $"process {stream}", ActivityKind.Consumer, parent.ActivityContext, ProcessTags(entry.Id, delivery.DeliveryCount));
        if (parent.ActivityContext == default && entry.Fields.ContainsKey(StreamFields.TraceParent))
        {
            activity?.AddEvent(new ActivityEvent("trace_context.invalid", tags: new ActivityTagsCollection
            {
                [StreamFields.TraceParent] = Truncate(entry.Fields[StreamFields.TraceParent], 128),
            }));
        }

        var enqueuedAt = StreamEntryId.TryGetTimestamp(entry.Id, out var ts) ? ts : DateTimeOffset.UtcNow;
        var queueTime = DateTimeOffset.UtcNow - enqueuedAt;
        if (delivery.DeliveryCount == 1)
        {
            MessagingTelemetry.QueueTime.Record(Math.Max(0, queueTime.TotalSeconds), MessagingTelemetry.Destination(stream), MessagingTelemetry.Group(group));
        }

        activity?.SetTag("messaging.redis.queue_time_ms", Math.Round(queueTime.TotalMilliseconds, 3));
        var traceId = parent.ActivityContext != default ? parent.ActivityContext.TraceId : activity?.TraceId ?? default;
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;

        try
        {
            if (delivery.DeliveryCount > options.MaxDeliveries)
            {
                errorType = "max_deliveries_exceeded";
                await DeadLetterAsync(activity, delivery, errorType, delivery.LastError ?? $"Delivered {delivery.DeliveryCount - 1} times without success.", traceId);
                return;
            }

            if (!TryDecode(entry, out var body, out var decodeError))
            {
                errorType = "poison_message";
                await DeadLetterAsync(activity, delivery, errorType, decodeError, traceId);
                return;
            }

            var message = new StreamMessage<T>(body, stream, entry.Id, group, delivery.DeliveryCount, enqueuedAt);
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                await handler.HandleAsync(message, cancellationToken);
            }

            await AcknowledgeAsync(entry.Id, activity, cancellationToken);
        }
        catch (PermanentMessageException ex)
        {
            errorType = ex.ErrorType;
            await DeadLetterAsync(activity, delivery, ex.ErrorType, ex.Message, traceId);
        }
        // Transient: the handler asked to wait, Redis is away, or something timed out — a cancellation this
        // consumer did not ask for (StackExchange.Redis cancels the commands of a connection it tears down).
        catch (Exception ex) when (ex is TransientMessageException || RedisFaults.IsUnavailable(ex) ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            errorType = ex.GetType().Name;
            delivery.LastError = $"{ex.GetType().Name}: {ex.Message}";
            delivery.TransientSince ??= DateTimeOffset.UtcNow;
            activity.RecordError(errorType, $"{stream}/{entry.Id} must wait: {ex.Message}", ex);
            if (DateTimeOffset.UtcNow - delivery.TransientSince > options.TransientRetryBudget)
            {
                await DeadLetterAsync(activity, delivery, errorType, $"Still failing after {options.TransientRetryBudget}: {delivery.LastError}", traceId);
                return;
            }

            LogDeliveryFailed(ex, stream, entry.Id, delivery.DeliveryCount);
            throw new RetryableDeliveryException(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            errorType = ex.GetType().Name;
            delivery.LastError = $"{ex.GetType().Name}: {ex.Message}";
            delivery.TransientSince = null;
            activity.RecordError(errorType, $"Delivery {delivery.DeliveryCount} of {stream}/{entry.Id} failed: {ex.Message}", ex);
            if (delivery.DeliveryCount >= options.MaxDeliveries)
            {
                await DeadLetterAsync(activity, delivery, errorType, delivery.LastError, traceId);
                return;
            }

            LogDeliveryFailed(ex, stream, entry.Id, delivery.DeliveryCount);
            throw new RetryableDeliveryException(ex);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var tags = new TagList { MessagingTelemetry.SystemTag, MessagingTelemetry.Destination(stream), MessagingTelemetry.Group(group) };
            if (errorType is not null)
            {
                tags.Add(SemanticAttributes.ErrorType, errorType);
            }

            MessagingTelemetry.ProcessDuration.Record(elapsed, tags);
            MessagingTelemetry.ConsumedMessages.Add(1, tags);
        }
    }

    /// <summary>
    /// XACK once the handler is done. While Redis is away the ack is retried (the work is not done
    /// again); if it still cannot be sent, the entry stays pending and its redelivery finds the work
    /// done (handlers are idempotent).
    /// </summary>
    private async Task AcknowledgeAsync(string id, Activity? activity, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await redis.GetDatabase().StreamAcknowledgeAsync(stream, group, id);
                return;
            }
            catch (Exception ex) when (RedisFaults.IsUnavailable(ex) && Stopwatch.GetElapsedTime(started) < options.TransientRetryBudget &&
                                       !cancellationToken.IsCancellationRequested)
            {
                activity?.AddEvent(new ActivityEvent("ack.retry", tags: new ActivityTagsCollection { ["error.type"] = ex.GetType().Name, ["attempt"] = attempt }));
                await DelayQuietly(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, Math.Min(attempt, 6)))), cancellationToken);
            }
        }
    }

    private bool TryDecode(RawStreamEntry entry, out T body, out string error)
    {
        body = default!;
        if (!entry.Fields.TryGetValue(StreamFields.Payload, out var payload) || string.IsNullOrWhiteSpace(payload))
        {
            error = $"Entry has no '{StreamFields.Payload}' field.";
            return false;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(payload, options.Json);
            if (value is null)
            {
                error = "Payload is JSON null.";
                return false;
            }

            body = value;
            error = "";
            return true;
        }
        catch (JsonException ex)
        {
            error = $"Payload is not a valid {typeof(T).Name}: {ex.Message}";
            return false;
        }
    }

    private async Task DeadLetterAsync(Activity? activity, Delivery delivery, string errorType, string error, ActivityTraceId traceId)
    {
        var deadId = await DeadLetterWriter.MoveAsync(
            redis.GetDatabase(), stream, group, consumer, delivery.Entry, errorType, error, delivery.DeliveryCount, traceId);
        activity.RecordError(errorType, $"Moved to {StreamFields.DeadLetterStream(stream)}: {error}");
        activity?.AddEvent(new ActivityEvent("dead_lettered", tags: new ActivityTagsCollection
        {
            [SemanticAttributes.MessagingDestinationName] = StreamFields.DeadLetterStream(stream),
            [SemanticAttributes.MessagingMessageId] = deadId,
        }));
        MessagingTelemetry.DeadLettered.Add(1, MessagingTelemetry.Destination(stream), MessagingTelemetry.Group(group),
            new(SemanticAttributes.ErrorType, errorType));
        LogDeadLettered(stream, delivery.Entry.Id, errorType, error, traceId.ToHexString());
    }

    private TagList ProcessTags(string id, int deliveryCount) => new()
    {
        MessagingTelemetry.SystemTag,
        MessagingTelemetry.Destination(stream),
        MessagingTelemetry.Group(group),
        { SemanticAttributes.MessagingOperationType, "process" },
        { SemanticAttributes.MessagingOperationName, "xreadgroup" },
        { SemanticAttributes.MessagingMessageId, id },
        { SemanticAttributes.MessagingClientId, consumer },
        { SemanticAttributes.MessagingDeliveryCount, deliveryCount },
    };

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                // From "0": entries published before this group existed are processed too.
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(stream, group, "0", createStream: true);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == 1 || attempt % 20 == 0)
                {
                    LogReadFailed(ex, stream, attempt);
                }

                await DelayQuietly(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)), stoppingToken);
            }
        }
    }

    /// <summary>After a restart under the same consumer name, finish what was delivered but never acknowledged.</summary>
    private async Task RecoverOwnPendingAsync(BlockingStreamReader reader, CancellationToken stoppingToken)
    {
        var after = "0";
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<RawStreamEntry> pending;
            try
            {
                pending = await reader.ReadOwnPendingAsync(after, options.MaxConcurrency);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogReadFailed(ex, stream, 1);
                return; // housekeeping's reclaim picks them up later
            }

            if (pending.Count == 0)
            {
                return;
            }

            foreach (var entry in pending)
            {
                after = entry.Id;
                await capacity.WaitAsync(stoppingToken);
                Dispatch(entry, await DeliveryCountAsync(entry.Id));
            }
        }
    }

    private async Task<int> DeliveryCountAsync(string id)
    {
        var info = await redis.GetDatabase().StreamPendingMessagesAsync(stream, group, 1, consumer, id, id);
        return info.Length > 0 ? info[0].DeliveryCount : 1;
    }

    private async Task RunHousekeepingAsync(CancellationToken stoppingToken)
    {
        var housekeeper = new StreamHousekeeper(redis, stream, group, options);
        while (!stoppingToken.IsCancellationRequested)
        {
            await DelayQuietly(options.HousekeepingInterval, stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await housekeeper.RenewLeasesAsync(consumer, inFlight.Keys.ToArray());
                foreach (var (entry, deliveries) in await housekeeper.ClaimIdleAsync(consumer, id => inFlight.ContainsKey(id)))
                {
                    await capacity.WaitAsync(stoppingToken);
                    MessagingTelemetry.Reclaimed.Add(1, MessagingTelemetry.Destination(stream), MessagingTelemetry.Group(group));
                    LogReclaimed(stream, entry.Id, deliveries);
                    Dispatch(entry, deliveries);
                }

                await housekeeper.RefreshLagAsync();
                if (await housekeeper.RemoveDeadConsumersAsync(consumer) is > 0 and var removed)
                {
                    LogConsumersRemoved(stream, group, removed);
                }

                if (DateTimeOffset.UtcNow >= nextTrim)
                {
                    nextTrim = DateTimeOffset.UtcNow.AddMinutes(1);
                    await housekeeper.TrimAcknowledgedAsync();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogHousekeepingFailed(ex, stream);
            }
        }
    }

    /// <summary>Lets in-flight entries finish; whatever is still running after DrainTimeout stays pending.</summary>
    private async Task DrainAsync()
    {
        var running = inFlight.Values.ToArray();
        if (running.Length == 0)
        {
            return;
        }

        LogDraining(stream, running.Length);
        try
        {
            await Task.WhenAll(running).WaitAsync(options.DrainTimeout);
        }
        catch (TimeoutException)
        {
            await handlerStop.CancelAsync();
        }
        catch
        {
            // individual failures were logged where they happened
        }
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    public override void Dispose()
    {
        handlerStop.Dispose();
        capacity.Dispose();
        base.Dispose();
    }

    private sealed class Delivery(RawStreamEntry entry, int deliveryCount)
    {
        public RawStreamEntry Entry { get; set; } = entry;
        public int DeliveryCount { get; set; } = deliveryCount;
        public string? LastError { get; set; }
        public bool Abandoned { get; set; }

        /// <summary>Since when the handler has been asking to wait (transient failures); null otherwise.</summary>
        public DateTimeOffset? TransientSince { get; set; }
    }

    private sealed class RetryableDeliveryException(Exception inner) : Exception(inner.Message, inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Stream} as {Group}/{Consumer}")]
    private partial void LogStarted(string stream, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Stream} failed ({Failures} in a row); retrying")]
    private partial void LogReadFailed(Exception ex, string stream, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer group {Group} on {Stream} is missing; recreating it")]
    private partial void LogGroupMissing(string stream, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryCount} of {Stream}/{EntryId} failed; it will be delivered again")]
    private partial void LogDeliveryFailed(Exception ex, string stream, string entryId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream}/{EntryId} left pending for reclaim")]
    private partial void LogLeftPending(Exception ex, string stream, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Stream}/{EntryId} moved to the dead-letter stream ({ErrorType}): {Error} trace {TraceId}")]
    private partial void LogDeadLettered(string stream, string entryId, string errorType, string error, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reclaimed {Stream}/{EntryId} from an idle consumer (delivery {DeliveryCount})")]
    private partial void LogReclaimed(string stream, string entryId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} consumers of dead processes from {Stream}/{Group}")]
    private partial void LogConsumersRemoved(string stream, string group, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Housekeeping of {Stream} failed")]
    private partial void LogHousekeepingFailed(Exception ex, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for {Count} in-flight entries of {Stream}")]
    private partial void LogDraining(string stream, int count);
}
