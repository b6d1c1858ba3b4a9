using System.Diagnostics;
using System.Text.Json;
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
}

/// <summary>
/// The gateway's stages: <c>order.receive</c> (id, baggage) → <c>order.validate</c> →
/// idempotency → store as Accepted → <c>send orders.new</c>. An order is acknowledged (202)
/// only once it is on the stream; if it cannot be stored the client gets 503, never a 202.
/// </summary>
public sealed class OrderIntake(
    ServiceTelemetry telemetry,
    GatewayMetrics metrics,
    IStreamPublisher publisher,
    OrderRecordStore store,
    IConnectionMultiplexer redis,
    StreamBacklog backlog,
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
        OrderRequest request;
        double receiveMs;
        using (var receive = telemetry.StartStage(Stages.Receive))
        {
            request = OrderRequestParser.Parse(body, errors);
            if (request.ClientId is null && !errors.ContainsKey(OrderRequestParser.ClientId))
            {
                request = request with { ClientId = authenticatedClientId };
            }
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

        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            try
            {
                var existing = await store.ClaimIdempotencyKeyAsync(valid.ClientId, idempotencyKey, orderId);
                if (existing is not null)
                {
                    return await ReplayAsync(existing, server);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                GatewayLog.OrderNotStored(logger, ex, orderId);
                metrics.Received("unavailable");
                return new IntakeResult.Unavailable("The order store is unreachable; nothing was accepted. Retry shortly.");
            }
        }

        var order = new NewOrder(orderId, valid.ClientId, valid.Instrument.Symbol, valid.Side, valid.Type,
                valid.Quantity, valid.LimitPrice, receivedAt)
            .WithTiming(Stages.Receive, receiveMs)
            .WithTiming(Stages.Validate, validateMs);
        var traceId = server?.TraceId.ToHexString() ?? Activity.Current?.TraceId.ToHexString() ?? "";

        try
        {
            await store.CreateAsync(order, traceId);
            await publisher.PublishAsync(Streams.OrdersNew, order, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            GatewayLog.OrderNotStored(logger, ex, orderId);
            await UndoAsync(order, idempotencyKey);
            metrics.Received("unavailable");
            return new IntakeResult.Unavailable("The order could not be stored; nothing was accepted. Retry shortly.");
        }

        metrics.Received("accepted");
        GatewayLog.OrderAccepted(logger, orderId, order.ClientId, order.Symbol, order.Side, order.Quantity);
        return new IntakeResult.Accepted(new OrderRecord(order, OrderStatus.Accepted, traceId, null), Replayed: false);
    }

    private async Task<IntakeResult> ReplayAsync(string existingOrderId, Activity? server)
    {
        server?.SetTag(TradingAttributes.IdempotencyReplay, true);
        server?.SetTag(TradingAttributes.OrderId, existingOrderId);
        // The first request may still be storing its order: give it a moment.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var record = await store.GetAsync(existingOrderId);
            if (record is not null)
            {
                metrics.Received("replayed");
                return new IntakeResult.Accepted(record, Replayed: true);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return new IntakeResult.Conflict("A request with this Idempotency-Key is still being processed; retry shortly.");
    }

    private async Task UndoAsync(NewOrder order, string? idempotencyKey)
    {
        try
        {
            await store.DeleteAsync(order.OrderId);
            if (!string.IsNullOrEmpty(idempotencyKey))
            {
                await store.ReleaseIdempotencyKeyAsync(order.ClientId, idempotencyKey);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down: the record (if written) says Accepted but was never published; the key expires in a day.
            GatewayLog.UndoFailed(logger, ex, order.OrderId);
        }
    }
}
