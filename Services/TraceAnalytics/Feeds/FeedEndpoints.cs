using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.Feeds;

public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feeds", GetFeedsAsync)
            .WithTags("Feeds")
            .WithName("GetFeedHealth")
            .WithSummary("Per venue feed over the period (from/to or window, default the last 15 min): latency p50/p99 over time, " +
                         "gap rate, uptime, disconnects, data-quality counts, current state, and the connection-session traces");
        return app;
    }

    public static Task<Results<Ok<FeedsResponse>, ValidationProblem>> GetFeedsAsync(
        [AsParameters] WindowRequest request, FeedHealthService feeds, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, window => feeds.GetFeedsAsync(window, cancellationToken));
}
