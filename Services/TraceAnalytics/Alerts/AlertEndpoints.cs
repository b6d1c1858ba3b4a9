using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.Alerts;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", ListAsync)
            .WithTags("Alerts")
            .WithName("ListAlerts")
            .WithSummary("Latency alerts, newest first: every one that fired (state=all, default) or only those firing now.");
        return app;
    }

    public static Task<Results<Ok<IReadOnlyList<LatencyAlert>>, ValidationProblem>> ListAsync(
        [AsParameters] AlertListRequest request, IAlertStore alerts, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => alerts.ListAsync(query.FiringOnly, query.Limit, cancellationToken));
}
