using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>Latency statistics of the stage spans a filter selects, grouped by the given dimensions.</summary>
public sealed record LatencyQuery(StageFilter Filter, IReadOnlyList<LatencyDimension> GroupBy);

/// <summary>Latency statistics of a filter's spans per time bucket of the given width.</summary>
public sealed record TimeseriesQuery(StageFilter Filter, TimeSpan Bucket);

/// <summary><c>GET /api/stages/percentiles</c>: dimensions to group by (comma-separated), span name, service, venue and the time window.</summary>
public sealed record PercentilesRequest(
    [FromQuery(Name = "groupBy")] string? GroupBy,
    [FromQuery(Name = "name")] string? Name,
    [FromQuery(Name = "service")] string? Service,
    [FromQuery(Name = "venue")] string? Venue,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window) : IQueryRequest<LatencyQuery>
{
    public LatencyQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var window = QueryParameters.ParseWindow(From, To, Window, now, errors);
        var groupBy = QueryParameters.ParseGroupBy(GroupBy, "groupBy", errors);
        return window is null
            ? null
            : new LatencyQuery(
                new StageFilter(window.From, window.To, QueryParameters.Text(Name), QueryParameters.Text(Service), QueryParameters.Text(Venue)),
                groupBy);
    }
}

/// <summary><c>GET /api/stages/timeseries</c>: stage, bucket width (default 1m), service, venue and the time window.</summary>
public sealed record TimeseriesRequest(
    [FromQuery(Name = "stage")] string? Stage,
    [FromQuery(Name = "bucket")] string? Bucket,
    [FromQuery(Name = "service")] string? Service,
    [FromQuery(Name = "venue")] string? Venue,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window) : IQueryRequest<TimeseriesQuery>
{
    public const int MaxBuckets = 2000;

    public TimeseriesQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var window = QueryParameters.ParseWindow(From, To, Window, now, errors);
        var width = TimeSpan.FromMinutes(1);
        if (!string.IsNullOrWhiteSpace(Bucket) && (!QueryParameters.TryParseDuration(Bucket, out width) || width < TimeSpan.FromSeconds(1)))
        {
            errors.Add("bucket", $"'{Bucket}' is not a bucket width of at least 1s (e.g. 10s, 1m, 5m)");
        }
        else if (window is not null && window.Length / width > MaxBuckets)
        {
            errors.Add("bucket", $"{Bucket ?? "1m"} makes more than {MaxBuckets} buckets in this window; use a wider bucket");
        }

        return window is null
            ? null
            : new TimeseriesQuery(
                new StageFilter(window.From, window.To, QueryParameters.Text(Stage), QueryParameters.Text(Service), QueryParameters.Text(Venue)),
                width);
    }
}
