using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>What became of a submitted order.</summary>
public abstract record IntakeResult
{
    public sealed record Accepted(OrderRecord Record, bool Replayed) : IntakeResult;
    public sealed record Invalid(IDictionary<string, string[]> Errors) : IntakeResult;
    public sealed record Unavailable(string Reason) : IntakeResult;
    public sealed record Conflict(string Reason) : IntakeResult;
    public sealed record Forbidden(string Reason) : IntakeResult;
    public sealed record Overloaded(string Reason) : IntakeResult;

    /// <summary>Redis did not answer in time: whether the order was accepted is not known yet (it is resolved in the background).</summary>
    public sealed record Unknown(string OrderId, string Reason) : IntakeResult;
}

/// <summary>
/// The gateway's stages: <c>order.receive</c> (id, baggage, the sampling rules — <see cref="OrderSampling"/>) → <c>order.validate</c> →
/// <c>send orders.new</c>, where one script stores the order as Accepted, claims its Idempotency-Key
/// and adds it to the stream (<see cref="OrderAcceptance"/>). An order is acknowledged (202) only
/// once it is on the stream. 503 means it was certainly not accepted; when Redis's reply is lost the
/// gateway finds out which it was (202 or 503), and only if Redis stays away for the whole resolve
/// budget answers 504 with the order id (a retry with the same Idempotency-Key is safe either way).
/// </summary>
public sealed class OrderIntake(
    ServiceTelemetry telemetry,
    GatewayMetrics metrics,
    OrderSampling sampling,
    IStreamPublisher publisher,
    OrderRecordStore store,
    OrderAcceptance acceptance,
    UnresolvedAccepts unresolved,
    IConnectionMultiplexer redis,
    StreamBacklog backlog,
    StreamPartitions partitions,
    IOptions<AcceptOptions> acceptOptions,
    TimeProvider time,
    ILogger<OrderIntake> logger)
{
    /// <param name="authenticatedClientId">Who sent it: the body's clientId may be omitted, and must not name anyone else.</param>
    public async Task<IntakeResult> SubmitAsync(JsonElement body, string? idempotencyKey, string authenticatedClientId, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var orderId = Guid.CreateVersion7(receivedAt).ToString("N");
        var server = Activity.Current;
        Baggage.SetBaggage(TradingAttributes.OrderId, orderId);
        server?.SetTag(TradingAttributes.OrderId, orderId);

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var readStarted = Stopwatch.GetTimestamp();
        var request = OrderRequestParser.Parse(body, errors);
        if (request.ClientId is null && !errors.ContainsKey(OrderRequestParser.ClientId))
        {
            request = request with { ClientId = authenticatedClientId };
        }

        // The trace's sampling decision is final from here: no span of this order has started yet.
        sampling.Apply(server, authenticatedClientId, request);

        double receiveMs;
        using (var receive = telemetry.StartStageBegunAt(Stages.Receive, readStarted))
        {
            receive.SetTag(TradingAttributes.ClientId, request.ClientId)
                .SetTag(TradingAttributes.Symbol, request.Symbol);
            receiveMs = receive.ElapsedMilliseconds;
        }

        ValidOrder? valid;
        double validateMs;
        using (var validate = telemetry.StartStage(Stages.Validate))
        {
            valid = OrderValidator.Validate(request, errors);
            validateMs = validate.ElapsedMilliseconds;
            if (valid is null)
            {
                validate.SetTag("trading.validation.fields", string.Join(",", errors.Keys));
                validate.Fail("validation_failed", "Invalid order: " + string.Join("; ", errors.SelectMany(e => e.Value)));
                metrics.Received("invalid");
                return new IntakeResult.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
            }
        }

        if (!string.Equals(valid.ClientId, authenticatedClientId, StringComparison.Ordinal))
        {
            metrics.Received("forbidden");
            server?.RecordError("client_mismatch", $"Client {authenticatedClientId} tried to order as {valid.ClientId}.");
            return new IntakeResult.Forbidden($"You are authenticated as '{authenticatedClientId}' and cannot send orders as '{valid.ClientId}'.");
        }

        Baggage.SetBaggage(TradingAttributes.ClientId, valid.ClientId);
        server?.SetTag(TradingAttributes.ClientId, valid.ClientId);
        server?.SetTag(TradingAttributes.Symbol, valid.Instrument.Symbol);

        if (!redis.IsConnected)
        {
            // Fail fast instead of queueing behind a dead connection: the client retries after Retry-After.
            metrics.Received("unavailable");
            server?.RecordError("store_unavailable", "Redis is not connected; the order was not accepted.");
            return new IntakeResult.Unavailable("The order store is unreachable; nothing was accepted. Retry shortly.");
        }

        if (backlog.IsOverloaded(out var depth))
        {
            metrics.Received("shed");
            server?.RecordError("overloaded", $"Stream backlog {depth} is over the bound; the order was shed.");
            return new IntakeResult.Overloaded($"The pipeline is {depth} entries behind (bound {backlog.Bound}); nothing was accepted. Retry shortly.");
        }

        var order = new NewOrder(orderId, valid.ClientId, valid.Instrument.Symbol, valid.Side, valid.Type,
                valid.Quantity, valid.LimitPrice, receivedAt, ExpiresAt: receivedAt + valid.TimeInForce)
            .WithTiming(Stages.Receive, receiveMs)
            .WithTiming(Stages.Validate, validateMs);
        var traceId = server?.TraceId.ToHexString() ?? Activity.Current?.TraceId.ToHexString() ?? "";
        var key = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey;

        AcceptOutcome outcome;
        string value;
        using (var entry = publisher.Prepare(partitions.StreamOf(Streams.OrdersNew, order.ClientId), order))
        {
            try
            {
                (outcome, value) = await acceptance.AcceptAsync(order, JsonSerializer.Serialize(order, TradingJson.Options), traceId, key, entry)
                    .WaitAsync(acceptOptions.Value.AcceptTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                entry.Failed(ex);
                return await ResolveAsync(order, traceId, ex, server);
            }

            if (outcome == AcceptOutcome.Accepted)
            {
                entry.Sent(value);
            }
            else
            {
                entry.NotSent(outcome == AcceptOutcome.Replay ? "idempotent_replay" : "fenced", $"Not added: {outcome}.");
            }
        }

        switch (outcome)
        {
            case AcceptOutcome.Replay:
                return await ReplayAsync(order.ClientId, value, server);
            case AcceptOutcome.Fenced:
                // Only an order id that was given up on before can be fenced; ids are new per request.
                metrics.Received("unavailable");
                return new IntakeResult.Unavailable("The order was not accepted. Retry shortly.");
        }

        metrics.Received("accepted");
        GatewayLog.OrderAccepted(logger, orderId, order.ClientId, order.Symbol, order.Side, order.Quantity);
        return new IntakeResult.Accepted(new OrderRecord(order, OrderStatus.Accepted, traceId, null), Replayed: false);
    }

    /// <summary>The accept's reply was lost: ask Redis whether it ran, and fence the order off if it did not.</summary>
    private async Task<IntakeResult> ResolveAsync(NewOrder order, string traceId, Exception failure, Activity? server)
    {
        GatewayLog.AcceptUnanswered(logger, failure, order.OrderId);
        var budget = Stopwatch.StartNew();
        var options = acceptOptions.Value;
        for (var attempt = 1; budget.Elapsed < options.AcceptResolveTimeout; attempt++)
        {
            try
            {
                var left = options.AcceptResolveTimeout - budget.Elapsed;
                var stored = await acceptance.ResolveAsync(order.ClientId, order.OrderId).WaitAsync(left < options.AcceptTimeout ? left : options.AcceptTimeout);
                server?.AddEvent(new ActivityEvent("accept.resolved", tags: new ActivityTagsCollection
                {
                    ["trading.accept.stored"] = stored,
                    ["trading.accept.resolve_attempts"] = attempt,
                }));
                if (stored)
                {
                    metrics.Received("accepted");
                    GatewayLog.OrderAccepted(logger, order.OrderId, order.ClientId, order.Symbol, order.Side, order.Quantity);
                    return new IntakeResult.Accepted(new OrderRecord(order, OrderStatus.Accepted, traceId, null), Replayed: false);
                }

                metrics.Received("unavailable");
                server?.RecordError("store_unavailable", "Redis did not answer the accept; the order was fenced off and not accepted.");
                return new IntakeResult.Unavailable("The order store did not answer in time; the order was not accepted. Retry shortly.");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 50 * attempt)));
            }
        }

        unresolved.Add(order.ClientId, order.OrderId);
        metrics.Received("unknown");
        server?.RecordError("accept_outcome_unknown", "Redis did not answer; whether the order was accepted is resolved in the background.");
        return new IntakeResult.Unknown(order.OrderId,
            $"The order store did not answer in time, so whether order {order.OrderId} was accepted is not known yet. " +
            $"Retrying with the same Idempotency-Key is safe; GET /orders/{order.OrderId} shows it if it was accepted.");
    }

    private async Task<IntakeResult> ReplayAsync(string clientId, string existingOrderId, Activity? server)
    {
        server?.SetTag(TradingAttributes.IdempotencyReplay, true);
        server?.SetTag(TradingAttributes.OrderId, existingOrderId);
        OrderRecord? record;
        try
        {
            record = await store.GetAsync(clientId, existingOrderId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            metrics.Received("unavailable");
            return new IntakeResult.Unavailable($"This Idempotency-Key belongs to order {existingOrderId}, which could not be read just now. Retry shortly.");
        }

        if (record is null)
        {
            return new IntakeResult.Conflict($"This Idempotency-Key belonged to order {existingOrderId}, which is no longer kept.");
        }

        metrics.Received("replayed");
        return new IntakeResult.Accepted(record, Replayed: true);
    }
}
