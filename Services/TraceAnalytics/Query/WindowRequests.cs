using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>The worst <paramref name="Limit"/> anomalous traces of a window.</summary>
public sealed record AnomaliesQuery(TimeWindow Window, int Limit);

/// <summary>Window B against window A, per group; <paramref name="Stage"/> narrows to one span name.</summary>
public sealed record CompareQuery(TimeWindow A, TimeWindow B, string? Stage, IReadOnlyList<LatencyDimension> GroupBy);

/// <summary>
/// A time window: <c>from</c>/<c>to</c> (ISO 8601) or <c>window</c> (a length such as 15m ending at <c>to</c>, or now);
/// the last 15 minutes when none is given.
/// </summary>
public sealed record WindowRequest(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window) : IQueryRequest<TimeWindow>
{
    public TimeWindow? ToQuery(DateTime now, QueryErrors errors) => QueryParameters.ParseWindow(From, To, Window, now, errors);
}

/// <summary><c>GET /api/anomalies</c>: the time window and how many traces (1 to 500, default 20).</summary>
public sealed record AnomaliesRequest(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window,
    [FromQuery(Name = "limit")] string? Limit) : IQueryRequest<AnomaliesQuery>
{
    public AnomaliesQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var window = QueryParameters.ParseWindow(From, To, Window, now, errors);
        var limit = QueryParameters.ParseInt(Limit, "limit", 20, 1, 500, errors);
        return window is null ? null : new AnomaliesQuery(window, limit);
    }
}

/// <summary>
/// <c>GET /api/compare</c>: window A against window B, as <c>aFrom</c>/<c>aTo</c>/<c>bFrom</c>/<c>bTo</c> or lengths
/// <c>a</c>/<c>b</c> (B ends now, or at <c>bTo</c>, and lasts 1 hour by default; A ends where B starts and is as long),
/// so <c>a=1h&amp;b=1h</c> is the previous hour against this hour.
/// </summary>
public sealed record CompareRequest(
    [FromQuery(Name = "stage")] string? Stage,
    [FromQuery(Name = "groupBy")] string? GroupBy,
    [FromQuery(Name = "a")] string? A,
    [FromQuery(Name = "b")] string? B,
    [FromQuery(Name = "aFrom")] string? AFrom,
    [FromQuery(Name = "aTo")] string? ATo,
    [FromQuery(Name = "bFrom")] string? BFrom,
    [FromQuery(Name = "bTo")] string? BTo) : IQueryRequest<CompareQuery>
{
    public CompareQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var windowB = QueryParameters.ParseWindow(BFrom, BTo, B, now, errors, "bFrom", "bTo", "b", TimeSpan.FromHours(1));
        var windowA = windowB is null
            ? null
            : QueryParameters.ParseWindow(AFrom, ATo ?? (AFrom is null ? windowB.From.ToString("o") : null), A, now, errors, "aFrom", "aTo", "a", windowB.Length);
        var groupBy = QueryParameters.ParseGroupBy(GroupBy, "groupBy", errors);
        return windowA is null || windowB is null ? null : new CompareQuery(windowA, windowB, QueryParameters.Text(Stage), groupBy);
    }
}

/// <summary>A trace named in the route: <c>{traceId}</c>, 32 hex characters (any case).</summary>
public sealed record TraceRequest([FromRoute(Name = "traceId")] string TraceId) : IQueryRequest<string>
{
    public string? ToQuery(DateTime now, QueryErrors errors)
    {
        if (TraceIdFormat.TryNormalize(TraceId, out var normalized))
        {
            return normalized;
        }

        errors.Add("traceId", $"'{TraceId}' is not a trace id: expected {TraceIdFormat.Length} hex characters");
        return null;
    }
}
