using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>
/// One attempt at one entry, inside a <c>process &lt;stream&gt;</c> span that continues the producer's
/// trace: record the time it waited in the stream (metric, span tag, and the message's
/// <c>queue.&lt;stream&gt;</c> stage timing), decode it, hand it to a scoped <typeparamref name="THandler"/>,
/// acknowledge it together with what the handler forwarded (<see cref="EntryAcknowledgement"/>). The
/// <see cref="RedeliveryPolicy"/> decides what the attempt's result leads to; a dead letter is written
/// here, inside the span. Returns the next step for the caller to take. With <see cref="ConsumerTracing.None"/> the
/// attempt runs under a <see cref="SuppressInstrumentationScope"/>: no span, neither its own nor the Redis commands'.
/// </summary>
internal sealed class EntryProcessor<T, THandler>(
    ConsumerIdentity identity,
    ConsumerTracing tracing,
    MessagingOptions options,
    RedeliveryPolicy policy,
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    IStreamPublisher publisher,
    ConsumerLog log)
    where THandler : class, IStreamHandler<T>
{
    private readonly EntryAcknowledgement acknowledgement = new(identity, options, redis);

    private string Stream => identity.Stream;

    public async Task<NextStep> ProcessAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Abandoned)
        {
            return NextStep.Done;
        }

        // An async method's changes to the execution context end with it: the scope covers this attempt only.
        using var untraced = tracing == ConsumerTracing.None ? SuppressInstrumentationScope.Begin() : null;
        var entry = delivery.Entry;
        var parent = TraceContextCarrier.Extract(entry.Fields);
        Baggage.Current = parent.Baggage;
        using var activity = MessagingTelemetry.Source.StartActivity(identity.Names.ProcessSpanName, ActivityKind.Consumer, parent.ActivityContext, ProcessTags(entry.Id, delivery.DeliveryCount));
        if (parent.ActivityContext == default && entry.Fields.TryGetValue(StreamFields.TraceParent, out var traceparent))
        {
            activity?.AddEvent(new ActivityEvent("trace_context.invalid", tags: new ActivityTagsCollection
            {
                [StreamFields.TraceParent] = traceparent.Length <= 128 ? traceparent : traceparent[..128],
            }));
        }

        var enqueuedAt = StreamEntryId.TryGetTimestamp(entry.Id, out var ts) ? ts : DateTimeOffset.UtcNow;
        var queueTime = DateTimeOffset.UtcNow - enqueuedAt;
        if (delivery.DeliveryCount == 1)
        {
            MessagingTelemetry.QueueTime.Record(Math.Max(0, queueTime.TotalSeconds), identity.StreamTag, identity.GroupTag);
        }

        activity?.SetTag("messaging.redis.queue_time_ms", Math.Round(queueTime.TotalMilliseconds, 3));
        var traceId = parent.ActivityContext != default ? parent.ActivityContext.TraceId : activity?.TraceId ?? default;
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        try
        {
            var (result, type, error, exception) = await AttemptAsync(delivery, enqueuedAt, queueTime, activity, cancellationToken);
            errorType = type;
            var next = policy.Decide(result, delivery.DeliveryCount, delivery.TransientSince, DateTimeOffset.UtcNow);
            switch (next)
            {
                case NextStep.DeadLetter:
                    await DeadLetterAsync(activity, delivery, type!,
                        result == AttemptResult.Transient ? $"Still failing after {options.TransientRetryBudget}: {error}" : error!, traceId);
                    return NextStep.Done;
                case NextStep.RetryCounting or NextStep.RetryWithoutCounting:
                    log.DeliveryFailed(exception!, Stream, entry.Id, delivery.DeliveryCount);
                    return next;
                default:
                    return next;
            }
        }
        finally
        {
            var tags = new TagList { MessagingTelemetry.SystemTag, identity.StreamTag, identity.GroupTag };
            if (errorType is not null)
            {
                tags.Add(SemanticAttributes.ErrorType, errorType);
            }

            MessagingTelemetry.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            MessagingTelemetry.ConsumedMessages.Add(1, tags);
        }
    }

    /// <summary>Runs the handler once; returns how that went, as the policy reads it.</summary>
    private async Task<(AttemptResult Result, string? ErrorType, string? Error, Exception? Exception)> AttemptAsync(
        Delivery delivery, DateTimeOffset enqueuedAt, TimeSpan queueTime, Activity? activity, CancellationToken cancellationToken)
    {
        var entry = delivery.Entry;
        if (policy.IsOverDelivered(delivery.DeliveryCount))
        {
            return (AttemptResult.OverDelivered, "max_deliveries_exceeded", delivery.LastError ?? $"Delivered {delivery.DeliveryCount - 1} times without success.", null);
        }

        if (!TryDecode(entry, out var body, out var decodeError))
        {
            return (AttemptResult.Poison, "poison_message", decodeError, null);
        }

        if (body is IStageTimed<T> timed)
        {
            body = timed.WithTiming(identity.Names.QueueStage, queueTime.TotalMilliseconds);
        }

        using var outbox = new DeliveryOutbox(publisher, identity.ForwardTag);
        try
        {
            var message = new StreamMessage<T>(body, Stream, entry.Id, identity.Group, delivery.DeliveryCount, enqueuedAt) { Outbox = outbox };
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, cancellationToken);
            }
            catch (Exception ex)
            {
                outbox.Discard("handler_failed", $"The handler of {Stream}/{entry.Id} failed: {ex.Message}");
                throw;
            }

            await acknowledgement.AcknowledgeAsync(entry.Id, outbox, activity, cancellationToken);
            return (AttemptResult.Acknowledged, null, null, null);
        }
        catch (PermanentMessageException ex)
        {
            return (AttemptResult.Permanent, ex.ErrorType, ex.Message, ex);
        }
        // Transient: the handler asked to wait, Redis is away, or something timed out — a cancellation this
        // consumer did not ask for (StackExchange.Redis cancels the commands of a connection it tears down).
        catch (Exception ex) when (ex is TransientMessageException || RedisFaults.IsUnavailable(ex) ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            delivery.LastError = $"{ex.GetType().Name}: {ex.Message}";
            delivery.TransientSince ??= DateTimeOffset.UtcNow;
            activity.RecordError(ex.GetType().Name, $"{Stream}/{entry.Id} must wait: {ex.Message}", ex);
            return (AttemptResult.Transient, ex.GetType().Name, delivery.LastError, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivery.LastError = $"{ex.GetType().Name}: {ex.Message}";
            delivery.TransientSince = null;
            activity.RecordError(ex.GetType().Name, $"Delivery {delivery.DeliveryCount} of {Stream}/{entry.Id} failed: {ex.Message}", ex);
            return (AttemptResult.Failed, ex.GetType().Name, delivery.LastError, ex);
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
            redis.GetDatabase(), Stream, identity.Group, identity.Consumer, delivery.Entry, errorType, error, delivery.DeliveryCount, traceId);
        activity.RecordError(errorType, $"Moved to {StreamFields.DeadLetterStream(Stream)}: {error}");
        activity?.AddEvent(new ActivityEvent("dead_lettered", tags: new ActivityTagsCollection
        {
            [SemanticAttributes.MessagingDestinationName] = StreamFields.DeadLetterStream(Stream),
            [SemanticAttributes.MessagingMessageId] = deadId,
        }));
        MessagingTelemetry.DeadLettered.Add(1, identity.StreamTag, identity.GroupTag, new(SemanticAttributes.ErrorType, errorType));
        log.DeadLettered(Stream, delivery.Entry.Id, errorType, error, traceId.ToHexString());
    }

    private TagList ProcessTags(string id, int deliveryCount)
    {
        var tags = new TagList
        {
            MessagingTelemetry.SystemTag,
            identity.StreamTag,
            identity.GroupTag,
            { SemanticAttributes.MessagingOperationType, "process" },
            { SemanticAttributes.MessagingOperationName, "xreadgroup" },
            { SemanticAttributes.MessagingMessageId, id },
            { SemanticAttributes.MessagingClientId, identity.Consumer },
            { SemanticAttributes.MessagingDeliveryCount, deliveryCount },
        };
        identity.Names.AddTo(ref tags);
        return tags;
    }
}
