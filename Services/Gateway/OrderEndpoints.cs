using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

public static class OrderEndpoints
{
    public const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders")
            .RequireAuthorization()
            .RequireRateLimiting(ClientRateLimiting.Policy);

        orders.MapPost("/", SubmitAsync)
            .WithName("SubmitOrder")
            .WithSummary("Submit an order; 202 once it is on the orders.new stream, 503 when it certainly was not accepted, 504 when Redis did not answer in time (retry with the same Idempotency-Key).")
            .Accepts<OrderRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        orders.MapGet("/{orderId}", GetAsync)
            .WithName("GetOrder")
            .WithSummary("An order's status, fills, per-stage timings and trace id (only the client's own orders).");

        orders.MapGet("/{orderId}/trace", GetTraceAsync)
            .WithName("GetOrderTrace")
            .WithSummary("The distributed trace of one of the client's own orders, every span, as the trace store holds it.");

        return orders;
    }

    private static async Task<Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http,
        ClaimsPrincipal user,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        OrderIntake intake,
        CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the order as application/json.");
        }

        if (idempotencyKey is { Length: > 128 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = ["The Idempotency-Key header must be at most 128 characters."],
            });
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false }, cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"The body is not valid JSON: {ex.Message}"] });
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Order too large", $"An order body may be at most {MaxBodyBytes} bytes.");
        }

        using (document)
        {
            var result = await intake.SubmitAsync(document.RootElement, idempotencyKey, user.ClientId()!, cancellationToken);
            switch (result)
            {
                case IntakeResult.Accepted accepted:
                    if (accepted.Replayed)
                    {
                        http.Response.Headers["Idempotent-Replayed"] = "true";
                    }

                    var record = accepted.Record;
                    return TypedResults.Accepted(
                        $"/orders/{record.Order.OrderId}",
                        new OrderAccepted(record.Order.OrderId, record.Status, record.TraceId, accepted.Replayed));
                case IntakeResult.Invalid invalid:
                    return TypedResults.ValidationProblem(invalid.Errors, title: "The order is invalid.");
                case IntakeResult.Forbidden forbidden:
                    return Problem(StatusCodes.Status403Forbidden, "Not your client id", forbidden.Reason);
                case IntakeResult.Conflict conflict:
                    return Problem(StatusCodes.Status409Conflict, "Duplicate request in progress", conflict.Reason);
                case IntakeResult.Overloaded overloaded:
                    http.Response.Headers.RetryAfter = "1";
                    return Problem(StatusCodes.Status429TooManyRequests, "Overloaded", overloaded.Reason);
                case IntakeResult.Unavailable unavailable:
                    http.Response.Headers.RetryAfter = "1";
                    return Problem(StatusCodes.Status503ServiceUnavailable, "Order not accepted", unavailable.Reason);
                case IntakeResult.Unknown unknown:
                    http.Response.Headers.RetryAfter = "1";
                    return TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "Order outcome unknown",
                        detail: unknown.Reason, extensions: new Dictionary<string, object?> { ["orderId"] = unknown.OrderId });
                default:
                    throw new InvalidOperationException($"Unhandled intake result {result}.");
            }
        }
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetAsync(string orderId, ClaimsPrincipal user, OrderRecordStore store)
    {
        var record = orderId.Length <= 64 ? await store.GetAsync(user.ClientId()!, orderId) : null;
        // Another client's order is as invisible as one that does not exist.
        return record is null || record.Order.ClientId != user.ClientId()
            ? Problem(StatusCodes.Status404NotFound, "Order not found", $"No order with id '{(orderId.Length <= 64 ? orderId : orderId[..64])}'.")
            : TypedResults.Ok(OrderView.From(record));
    }

    private static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetTraceAsync(
        string orderId, ClaimsPrincipal user, OrderRecordStore store, OrderTraces traces, CancellationToken cancellationToken)
    {
        var record = orderId.Length <= 64 ? await store.GetAsync(user.ClientId()!, orderId) : null;
        if (record is null || record.Order.ClientId != user.ClientId())
        {
            return Problem(StatusCodes.Status404NotFound, "Order not found", $"No order with id '{(orderId.Length <= 64 ? orderId : orderId[..64])}'.");
        }

        try
        {
            return await traces.GetAsync(record.TraceId, cancellationToken) is { } trace
                ? TypedResults.Ok(trace)
                : Problem(StatusCodes.Status404NotFound, "Trace not stored yet",
                    $"Order {orderId} has trace {record.TraceId}; its spans reach the trace store within seconds. Retry shortly.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Trace store unavailable", $"The trace store could not be asked: {ex.Message}");
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
