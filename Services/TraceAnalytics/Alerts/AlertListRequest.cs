using Microsoft.AspNetCore.Mvc;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>Alerts newest first: only those firing now, or every one that fired; at most <paramref name="Limit"/>.</summary>
public sealed record AlertListQuery(bool FiringOnly, int Limit);

/// <summary><c>GET /api/alerts</c>: <c>state</c> (<c>all</c>, the default, or <c>firing</c>) and <c>limit</c> (1 to 1000, default 100).</summary>
public sealed record AlertListRequest(
    [FromQuery(Name = "state")] string? State,
    [FromQuery(Name = "limit")] string? Limit) : IQueryRequest<AlertListQuery>
{
    public AlertListQuery? ToQuery(DateTime now, QueryErrors errors)
    {
        var state = QueryParameters.Text(State);
        if (state is not (null or "firing" or "all"))
        {
            errors.Add("state", $"'{State}' is not a state: expected 'firing' or 'all'");
        }

        var limit = QueryParameters.ParseInt(Limit, "limit", 100, 1, 1000, errors);
        return new AlertListQuery(state == "firing", limit);
    }
}
