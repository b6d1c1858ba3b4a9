using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// The analytics API under <c>/api</c>: span search, stage percentiles and time series, critical paths,
/// bottlenecks, window comparison, anomalies, recommendations and the Jaeger export of a trace.
/// Each handler binds a typed request (<c>[AsParameters]</c>), which <see cref="QueryRequest"/> checks (400 with a
/// ValidationProblem naming each bad field) before <see cref="TraceAnalyticsService"/> answers it.
/// </summary>
public static class AnalyticsEndpoints
{
    public static RouteGroupBuilder MapTraceAnalytics(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/spans/search", SearchSpansAsync)
            .WithTags("Spans").WithName("SearchSpans")
            .WithSummary("Spans matching service, name, attributes (attr=key=value, repeatable), duration and status in a time window, newest first, paged by cursor");

        var stages = api.MapGroup("/stages").WithTags("Stages");
        stages.MapGet("/percentiles", GetPercentilesAsync)
            .WithName("GetStagePercentiles")
            .WithSummary("Count, error rate and p50/p95/p99 (ms) per stage, service, venue or symbol (comma-separated to combine)");
        stages.MapGet("/timeseries", GetTimeseriesAsync)
            .WithName("GetStageTimeseries")
            .WithSummary("Count and p50/p95/p99 (ms) of a stage per time bucket");

        var traces = api.MapGroup("/traces").WithTags("Traces");
        traces.MapGet("/{traceId}/critical-path", GetCriticalPathAsync)
            .WithName("GetCriticalPath")
            .WithSummary("The critical path of a trace, self time per span and the largest contributors")
            .ProducesProblem(StatusCodes.Status404NotFound);
        traces.MapGet("/{traceId}/jaeger", GetJaegerAsync)
            .WithName("GetJaegerTrace")
            .WithSummary("The trace as the JSON file the Jaeger UI loads")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var analysis = api.MapGroup("").WithTags("Analysis");
        analysis.MapGet("/bottlenecks", GetBottlenecksAsync)
            .WithName("GetBottlenecks")
            .WithSummary("Stages ranked by their share of end-to-end latency (critical-path time / trace durations), with p95/p99");
        analysis.MapGet("/compare", CompareAsync)
            .WithName("CompareWindows")
            .WithSummary("Per stage, p50/p95/p99 of window B against window A, in ms and %, with a Mann-Whitney U significance test");
        analysis.MapGet("/anomalies", GetAnomaliesAsync)
            .WithName("GetAnomalies")
            .WithSummary("Traces whose stage durations are far outside the stage's distribution in the window (median/MAD modified z-score)");
        analysis.MapGet("/recommendations", GetRecommendationsAsync)
            .WithName("GetRecommendations")
            .WithSummary("Plain-language hints from bottlenecks, changes against the previous window, anomalies and error rates");

        return api;
    }

    public static Task<Results<Ok<SpanSearchResponse>, ValidationProblem>> SearchSpansAsync(
        [AsParameters] SpanSearchRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, criteria => analysis.SearchSpansAsync(criteria, cancellationToken));

    public static Task<Results<Ok<PercentilesResponse>, ValidationProblem>> GetPercentilesAsync(
        [AsParameters] PercentilesRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => analysis.GetPercentilesAsync(query, cancellationToken));

    public static Task<Results<Ok<TimeseriesResponse>, ValidationProblem>> GetTimeseriesAsync(
        [AsParameters] TimeseriesRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => analysis.GetTimeseriesAsync(query, cancellationToken));

    public static Task<Results<Ok<CriticalPathResponse>, ProblemHttpResult, ValidationProblem>> GetCriticalPathAsync(
        [AsParameters] TraceRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, traceId => analysis.GetCriticalPathAsync(traceId, cancellationToken), TraceNotFound);

    public static Task<Results<Ok<JaegerDocument>, ProblemHttpResult, ValidationProblem>> GetJaegerAsync(
        [AsParameters] TraceRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, traceId => analysis.GetJaegerAsync(traceId, cancellationToken), TraceNotFound);

    public static Task<Results<Ok<BottlenecksResponse>, ValidationProblem>> GetBottlenecksAsync(
        [AsParameters] WindowRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, window => analysis.GetBottlenecksAsync(window, cancellationToken));

    public static Task<Results<Ok<CompareResponse>, ValidationProblem>> CompareAsync(
        [AsParameters] CompareRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => analysis.CompareAsync(query.A, query.B, query.Stage, query.GroupBy, cancellationToken));

    public static Task<Results<Ok<AnomaliesResponse>, ValidationProblem>> GetAnomaliesAsync(
        [AsParameters] AnomaliesRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => analysis.GetAnomaliesAsync(query.Window, query.Limit, cancellationToken));

    public static Task<Results<Ok<RecommendationsResponse>, ValidationProblem>> GetRecommendationsAsync(
        [AsParameters] WindowRequest request, TraceAnalyticsService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, window => analysis.GetRecommendationsAsync(window, cancellationToken));

    private static ProblemHttpResult TraceNotFound(string traceId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: $"No spans of trace {traceId} are stored");
}
