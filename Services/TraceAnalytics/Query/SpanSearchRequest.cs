using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// <c>GET /api/spans/search</c>: service, name, attributes (<c>attr=key=value</c>, repeatable), duration bounds (ms),
/// status, the time window, page size and the cursor of the page to continue from.
/// </summary>
public sealed record SpanSearchRequest(
    [FromQuery(Name = "service")] string? Service,
    [FromQuery(Name = "name")] string? Name,
    [FromQuery(Name = "attr")] string[]? Attr,
    [FromQuery(Name = "minDurationMs")] string? MinDurationMs,
    [FromQuery(Name = "maxDurationMs")] string? MaxDurationMs,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window,
    [FromQuery(Name = "limit")] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor) : IQueryRequest<SpanSearchCriteria>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public SpanSearchCriteria? ToQuery(DateTime now, QueryErrors errors)
    {
        var window = QueryParameters.ParseWindow(From, To, Window, now, errors);
        var attributes = QueryParameters.ParseAttributes(Attr, "attr", errors);
        var min = QueryParameters.ParseMilliseconds(MinDurationMs, "minDurationMs", errors);
        var max = QueryParameters.ParseMilliseconds(MaxDurationMs, "maxDurationMs", errors);
        if (min is not null && max is not null && min > max)
        {
            errors.Add("minDurationMs", "minDurationMs must not exceed maxDurationMs");
        }

        var status = QueryParameters.ParseStatus(Status, "status", errors);
        var limit = QueryParameters.ParseInt(Limit, "limit", DefaultLimit, 1, MaxLimit, errors);
        var after = SpanCursorText.Parse(Cursor, "cursor", errors);
        return window is null
            ? null
            : new SpanSearchCriteria(
                window.From, window.To, QueryParameters.Text(Service), QueryParameters.Text(Name), attributes,
                Nanos(min), Nanos(max), status, limit, after);
    }

    private static long? Nanos(double? milliseconds) => milliseconds is null ? null : (long)(milliseconds.Value * 1e6);
}
