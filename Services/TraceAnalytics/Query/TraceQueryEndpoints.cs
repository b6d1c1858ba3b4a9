using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.TraceAnalytics.Storage;

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
        ITraceStore store,
        CancellationToken cancellationToken)
    {
        if (!TraceIdFormat.TryNormalize(traceId, out var normalized))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid trace id",
                detail: $"'{traceId}' is not a trace id: expected {TraceIdFormat.Length} hex characters");
        }

        var spans = await store.GetTraceAsync(normalized, cancellationToken);
        if (spans.Count == 0)
        {
            return TraceNotFound($"No spans of trace {normalized} are stored");
        }

        return TypedResults.Ok(new TraceResponse(normalized, ToResponses(spans)));
    }

    public static async Task<Results<Ok<OrderTraceResponse>, ProblemHttpResult>> GetOrderTraceAsync(
        string orderId,
        ITraceStore store,
        CancellationToken cancellationToken)
    {
        var traceIds = await store.FindTraceIdsByOrderIdAsync(orderId, cancellationToken);
        if (traceIds.Count == 0)
        {
            return TraceNotFound($"No stored span carries trading.order_id '{orderId}'");
        }

        var traceId = traceIds[0];
        var spans = await store.GetTraceAsync(traceId, cancellationToken);
        if (spans.Count == 0)
        {
            return TraceNotFound($"No spans of trace {traceId} are stored");
        }

        return TypedResults.Ok(new OrderTraceResponse(traceId, orderId, traceIds.Skip(1).ToArray(), ToResponses(spans)));
    }

    private static SpanResponse[] ToResponses(IReadOnlyList<SpanRecord> spans) => spans.Select(SpanResponse.From).ToArray();

    private static ProblemHttpResult TraceNotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: detail);
}
