namespace TradingAspire.TraceAnalytics.TradeAnalysis;

public static class TradeAnalysisRegistration
{
    /// <summary>The latency ↔ slippage and arbitrage analyses: their store queries and the service behind <c>/api/analysis</c>.</summary>
    public static IHostApplicationBuilder AddTradeAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITradeAnalysisStore, DuckDbTradeAnalysisStore>();
        builder.Services.AddSingleton<TradeAnalysisService>();
        return builder;
    }
}
