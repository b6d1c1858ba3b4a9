using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>The read API: <c>/api/traces/{traceId}</c> and <c>/api/orders/{orderId}/trace</c>.</summary>
public static class TraceQueryEndpoints
{
    public static RouteGroupBuilder MapTraceQueries(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Traces");

        api.MapGet("/traces/{traceId}", GetTraceAsync)
            .WithName("GetTrace")
            .WithSummary("The spans of a trace, sorted by start time")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/orders/{orderId}/trace", GetOrderTraceAsync)
            .WithName("GetOrderTrace")
            .WithSummary("The trace of an order (spans carrying trading.order_id), plus any other traces that carry it")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<TraceResponse>, ProblemHttpResult>> GetTraceAsync(
        string traceId,
        TraceAnalyticsService service,
        CancellationToken cancellationToken)
    {
        if (!TraceIdFormat.TryNormalize(traceId, out var normalized))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid trace id",
                detail: $"'{traceId}' is not a trace id: expected {TraceIdFormat.Length} hex characters");
        }

        return await service.GetTraceAsync(normalized, cancellationToken) is { } trace
            ? TypedResults.Ok(trace)
            : TraceNotFound($"No spans of trace {normalized} are stored");
    }

    public static async Task<Results<Ok<OrderTraceResponse>, ProblemHttpResult>> GetOrderTraceAsync(
        string orderId,
        TraceAnalyticsService service,
        CancellationToken cancellationToken) =>
        await service.GetOrderTraceAsync(orderId, cancellationToken) is { } trace
            ? TypedResults.Ok(trace)
            : TraceNotFound($"No stored span carries trading.order_id '{orderId}'");

    private static ProblemHttpResult TraceNotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: detail);
}
