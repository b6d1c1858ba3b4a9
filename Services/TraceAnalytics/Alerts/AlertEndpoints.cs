using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.Contracts;

namespace TradingAspire.TraceAnalytics.Alerts;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", async Task<Results<Ok<IReadOnlyList<LatencyAlert>>, ProblemHttpResult>> (string? state, int? limit, IAlertStore store, CancellationToken cancellationToken) =>
            {
                if (state is not (null or "firing" or "all"))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid state",
                        detail: "state must be 'firing' or 'all'.");
                }

                return TypedResults.Ok(await store.ListAsync(state == "firing", limit ?? 100, cancellationToken));
            })
            .WithTags("Alerts")
            .WithSummary("Latency alerts, newest first: every one that fired (state=all, default) or only those firing now.");
        return app;
    }
}
