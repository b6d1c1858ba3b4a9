using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

public sealed record LatencySlippageQuery(TimeWindow Window, LatencyBasis Basis, int MaxPoints);

/// <summary>
/// <c>GET /api/analysis/latency-slippage</c>: the time window (from/to or window, as elsewhere), <c>basis</c>
/// (<c>signal</c>, the default, or <c>order</c>) and <c>maxPoints</c> per venue for the chart (1 to 5000, default 500).
/// </summary>
public sealed record LatencySlippageRequest(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "window")] string? Window,
    [FromQuery(Name = "basis")] string? Basis,
    [FromQuery(Name = "maxPoints")] string? MaxPoints) : IQueryRequest<LatencySlippageQuery>
{
    public LatencySlippageQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var window = QueryParameters.ParseWindow(From, To, Window, now, errors);
        var maxPoints = QueryParameters.ParseInt(MaxPoints, "maxPoints", 500, 1, 5000, errors);
        LatencyBasis? basis = QueryParameters.Text(Basis)?.ToLowerInvariant() switch
        {
            null or "signal" => LatencyBasis.Signal,
            "order" => LatencyBasis.Order,
            _ => null,
        };
        if (basis is null)
        {
            errors.Add("basis", $"'{Basis}' is not a latency basis: expected signal or order");
        }

        return window is null || basis is null ? null : new LatencySlippageQuery(window, basis.Value, maxPoints);
    }
}
