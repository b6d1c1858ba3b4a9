using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// The analytics API under <c>/api</c>: span search, stage percentiles and time series, critical paths,
/// bottlenecks, window comparison, anomalies, recommendations and the Jaeger export of a trace.
/// Bad parameters are answered 400 with a ValidationProblem naming each field.
/// </summary>
public static class AnalyticsEndpoints
{
    public const int DefaultSearchLimit = 100;
    public const int MaxSearchLimit = 1000;
    public const int MaxBuckets = 2000;

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

    public static async Task<Results<Ok<SpanSearchResponse>, ValidationProblem>> SearchSpansAsync(
        ITraceAnalyticsStore store,
        TimeProvider clock,
        [FromQuery] string? service,
        [FromQuery] string? name,
        [FromQuery] string[]? attr,
        [FromQuery] string? minDurationMs,
        [FromQuery] string? maxDurationMs,
        [FromQuery] string? status,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var range = QueryParameters.ParseWindow(from, to, window, Now(clock), errors);
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var pair in attr ?? [])
        {
            var separator = pair?.IndexOf('=') ?? -1;
            if (separator <= 0)
            {
                errors.Add("attr", $"'{pair}' is not key=value");
                continue;
            }

            attributes.Add(new(pair![..separator], pair[(separator + 1)..]));
        }

        var min = QueryParameters.ParseMilliseconds(minDurationMs, "minDurationMs", errors);
        var max = QueryParameters.ParseMilliseconds(maxDurationMs, "maxDurationMs", errors);
        if (min is not null && max is not null && min > max)
        {
            errors.Add("minDurationMs", "minDurationMs must not exceed maxDurationMs");
        }

        string? statusCode = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statusCode = status.Trim().ToLowerInvariant() switch
            {
                "ok" => SpanRecord.StatusCodes.Ok,
                "error" => SpanRecord.StatusCodes.Error,
                "unset" => SpanRecord.StatusCodes.Unset,
                _ => null,
            };
            if (statusCode is null)
            {
                errors.Add("status", $"'{status}' is not a status: use ok, error or unset");
            }
        }

        var pageSize = QueryParameters.ParseInt(limit, "limit", DefaultSearchLimit, 1, MaxSearchLimit, errors);
        var after = QueryParameters.ParseCursor(cursor, "cursor", errors);
        if (errors.Any || range is null)
        {
            return errors.ToProblem();
        }

        var page = await store.SearchSpansAsync(new SpanSearchCriteria(
            range.From, range.To, Blank(service), Blank(name), attributes,
            min is null ? null : (long)(min.Value * 1e6), max is null ? null : (long)(max.Value * 1e6),
            statusCode, pageSize, after), cancellationToken);
        return TypedResults.Ok(new SpanSearchResponse(
            range.From, range.To, page.Spans.Select(SpanHit.From).ToArray(),
            page.Next is null ? null : QueryParameters.EncodeCursor(page.Next)));
    }

    public static async Task<Results<Ok<PercentilesResponse>, ValidationProblem>> GetPercentilesAsync(
        ITraceAnalyticsStore store,
        TimeProvider clock,
        [FromQuery] string? groupBy,
        [FromQuery] string? name,
        [FromQuery] string? service,
        [FromQuery] string? venue,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var range = QueryParameters.ParseWindow(from, to, window, Now(clock), errors);
        var dimensions = ParseGroupBy(groupBy, errors);
        if (errors.Any || range is null)
        {
            return errors.ToProblem();
        }

        var groups = await store.GetLatencyAsync(new StageFilter(range.From, range.To, Blank(name), Blank(service), Blank(venue)), dimensions, cancellationToken);
        return TypedResults.Ok(new PercentilesResponse(
            range.From, range.To, dimensions.Select(TraceAnalyticsService.DimensionName).ToArray(), Blank(name),
            groups.Select(LatencyGroupResponse.From).ToArray()));
    }

    public static async Task<Results<Ok<TimeseriesResponse>, ValidationProblem>> GetTimeseriesAsync(
        ITraceAnalyticsStore store,
        TimeProvider clock,
        [FromQuery] string? stage,
        [FromQuery] string? bucket,
        [FromQuery] string? service,
        [FromQuery] string? venue,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var range = QueryParameters.ParseWindow(from, to, window, Now(clock), errors);
        var width = TimeSpan.FromMinutes(1);
        if (!string.IsNullOrWhiteSpace(bucket) && (!QueryParameters.TryParseDuration(bucket, out width) || width < TimeSpan.FromSeconds(1)))
        {
            errors.Add("bucket", $"'{bucket}' is not a bucket width of at least 1s (e.g. 10s, 1m, 5m)");
        }
        else if (range is not null && range.Length / width > MaxBuckets)
        {
            errors.Add("bucket", $"{bucket ?? "1m"} makes more than {MaxBuckets} buckets in this window; use a wider bucket");
        }

        if (errors.Any || range is null)
        {
            return errors.ToProblem();
        }

        var buckets = (await store.GetLatencySeriesAsync(new StageFilter(range.From, range.To, Blank(stage), Blank(service), Blank(venue)), width, cancellationToken))
            .ToDictionary(b => b.Start);
        var points = new List<TimeseriesPoint>();
        var widthTicks = width.Ticks;
        var first = new DateTime(range.From.Ticks / widthTicks * widthTicks, DateTimeKind.Utc);
        for (var start = first; start < range.To; start = start.AddTicks(widthTicks))
        {
            points.Add(buckets.TryGetValue(start, out var b)
                ? new TimeseriesPoint(start, b.Count, b.Errors, b.P50Ms, b.P95Ms, b.P99Ms)
                : new TimeseriesPoint(start, 0, 0, null, null, null));
        }

        return TypedResults.Ok(new TimeseriesResponse(range.From, range.To, Blank(stage), width.TotalSeconds, points));
    }

    public static async Task<Results<Ok<CriticalPathResponse>, ProblemHttpResult, ValidationProblem>> GetCriticalPathAsync(
        string traceId, TraceAnalyticsService analysis, CancellationToken cancellationToken)
    {
        if (!TraceIdFormat.TryNormalize(traceId, out var normalized))
        {
            return InvalidTraceId(traceId);
        }

        var path = await analysis.GetCriticalPathAsync(normalized, cancellationToken);
        return path is null ? TraceNotFound(normalized) : TypedResults.Ok(path);
    }

    public static async Task<Results<Ok<JaegerDocument>, ProblemHttpResult, ValidationProblem>> GetJaegerAsync(
        string traceId, ITraceStore store, CancellationToken cancellationToken)
    {
        if (!TraceIdFormat.TryNormalize(traceId, out var normalized))
        {
            return InvalidTraceId(traceId);
        }

        var spans = await store.GetTraceAsync(normalized, cancellationToken);
        return spans.Count == 0 ? TraceNotFound(normalized) : TypedResults.Ok(JaegerTraceConverter.Convert(normalized, spans));
    }

    public static Task<Results<Ok<BottlenecksResponse>, ValidationProblem>> GetBottlenecksAsync(
        TraceAnalyticsService analysis,
        TimeProvider clock,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        CancellationToken cancellationToken) =>
        InWindowAsync(clock, from, to, window, range => analysis.GetBottlenecksAsync(range, cancellationToken));

    /// <summary>
    /// Window A against window B: <c>aFrom</c>/<c>aTo</c>/<c>bFrom</c>/<c>bTo</c>, or lengths <c>a</c>/<c>b</c>
    /// (B ends now — or at <c>bTo</c> — and A ends where B starts), so <c>a=1h&amp;b=1h</c> is the previous hour against this hour.
    /// </summary>
    public static async Task<Results<Ok<CompareResponse>, ValidationProblem>> CompareAsync(
        TraceAnalyticsService analysis,
        TimeProvider clock,
        [FromQuery] string? stage,
        [FromQuery] string? groupBy,
        [FromQuery] string? a,
        [FromQuery] string? b,
        [FromQuery] string? aFrom,
        [FromQuery] string? aTo,
        [FromQuery] string? bFrom,
        [FromQuery] string? bTo,
        CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var now = Now(clock);
        var windowB = QueryParameters.ParseWindow(bFrom, bTo, b, now, errors, "bFrom", "bTo", "b", TimeSpan.FromHours(1));
        var windowA = windowB is null
            ? null
            : QueryParameters.ParseWindow(aFrom, aTo ?? (aFrom is null ? windowB.From.ToString("o") : null), a, now, errors, "aFrom", "aTo", "a", windowB.Length);
        var dimensions = ParseGroupBy(groupBy, errors);
        if (errors.Any || windowA is null || windowB is null)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await analysis.CompareAsync(windowA, windowB, Blank(stage), dimensions, cancellationToken));
    }

    public static async Task<Results<Ok<AnomaliesResponse>, ValidationProblem>> GetAnomaliesAsync(
        TraceAnalyticsService analysis,
        TimeProvider clock,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        [FromQuery] string? limit,
        CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var range = QueryParameters.ParseWindow(from, to, window, Now(clock), errors);
        var count = QueryParameters.ParseInt(limit, "limit", 20, 1, 500, errors);
        if (errors.Any || range is null)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await analysis.GetAnomaliesAsync(range, count, cancellationToken));
    }

    public static Task<Results<Ok<RecommendationsResponse>, ValidationProblem>> GetRecommendationsAsync(
        TraceAnalyticsService analysis,
        TimeProvider clock,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? window,
        CancellationToken cancellationToken) =>
        InWindowAsync(clock, from, to, window, range => analysis.GetRecommendationsAsync(range, cancellationToken));

    /// <summary>Parses the time window (400 naming the bad fields) and runs <paramref name="query"/> over it.</summary>
    private static async Task<Results<Ok<T>, ValidationProblem>> InWindowAsync<T>(
        TimeProvider clock, string? from, string? to, string? window, Func<TimeWindow, Task<T>> query)
    {
        var errors = new QueryErrors();
        var range = QueryParameters.ParseWindow(from, to, window, Now(clock), errors);
        if (errors.Any || range is null)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await query(range));
    }

    private static IReadOnlyList<LatencyDimension> ParseGroupBy(string? groupBy, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(groupBy))
        {
            return [LatencyDimension.Stage];
        }

        var dimensions = new List<LatencyDimension>();
        foreach (var part in groupBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse<LatencyDimension>(part, ignoreCase: true, out var dimension) && !int.TryParse(part, out _))
            {
                if (!dimensions.Contains(dimension))
                {
                    dimensions.Add(dimension);
                }
            }
            else
            {
                errors.Add("groupBy", $"'{part}' is not one of stage, service, venue, symbol");
            }
        }

        return dimensions.Count == 0 ? [LatencyDimension.Stage] : dimensions;
    }

    private static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ValidationProblem InvalidTraceId(string traceId)
    {
        var errors = new QueryErrors();
        errors.Add("traceId", $"'{traceId}' is not a trace id: expected {TraceIdFormat.Length} hex characters");
        return errors.ToProblem();
    }

    private static ProblemHttpResult TraceNotFound(string traceId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: $"No spans of trace {traceId} are stored");
}
