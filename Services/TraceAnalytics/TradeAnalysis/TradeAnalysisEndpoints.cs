using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>Analyses of what the strategy and the pipeline did, from their traces, under <c>/api/analysis</c>.</summary>
public static class TradeAnalysisEndpoints
{
    public static RouteGroupBuilder MapTradeAnalysis(this IEndpointRouteBuilder endpoints)
    {
        var analysis = endpoints.MapGroup("/api/analysis").WithTags("Trade analysis");
        analysis.MapGet("/latency-slippage", GetLatencySlippageAsync)
            .WithName("GetLatencySlippage")
            .WithSummary("Per venue: n, Pearson r and the OLS slope of slippage (bp) on signal-to-fill (or order-to-fill) latency (ms) " +
                         "with its 95 % interval (Student t, n − 2 df), intercept, and a sample of the points");
        analysis.MapGet("/arbitrage", GetArbitrageAsync)
            .WithName("GetArbitrageAnalysis")
            .WithSummary("Arbitrage opportunities: count by outcome, success rate by latency bucket, mean expected vs realised edge, " +
                         "and the pipeline stages ranked by how well their latency explains lost edge");
        analysis.MapGet("/routing", GetRoutingAsync)
            .WithName("GetRoutingComparison")
            .WithSummary("The routing policies side by side (static latency price vs the trace-derived one): per policy the filled orders, mean slippage (bp) " +
                         "with its 95 % interval, latency to fill and venue shares, and the difference trace − static by Welch's t test");
        return analysis;
    }

    public static Task<Results<Ok<RoutingComparisonResponse>, ValidationProblem>> GetRoutingAsync(
        [AsParameters] WindowRequest request, TradeAnalysisService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, window => analysis.GetRoutingAsync(window, cancellationToken));

    public static Task<Results<Ok<LatencySlippageResponse>, ValidationProblem>> GetLatencySlippageAsync(
        [AsParameters] LatencySlippageRequest request, TradeAnalysisService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, query => analysis.GetLatencySlippageAsync(query, cancellationToken));

    public static Task<Results<Ok<ArbitrageResponse>, ValidationProblem>> GetArbitrageAsync(
        [AsParameters] WindowRequest request, TradeAnalysisService analysis, TimeProvider clock, CancellationToken cancellationToken) =>
        request.AnswerAsync(clock, window => analysis.GetArbitrageAsync(window, cancellationToken));
}
