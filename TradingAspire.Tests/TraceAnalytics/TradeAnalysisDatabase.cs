using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.TraceAnalytics.TradeAnalysis;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>A real DuckDB trace store in a temp folder with the trade analyses over it: spans go in through <see cref="Store"/>.</summary>
internal sealed class TradeAnalysisDatabase : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly TraceDatabase database;

    public TradeAnalysisDatabase()
    {
        database = new TraceDatabase(directory.DatabasePath);
        Store = new DuckDbTraceStore(database);
        Analysis = new TradeAnalysisService(new DuckDbTradeAnalysisStore(database));
    }

    public DuckDbTraceStore Store { get; }

    public TradeAnalysisService Analysis { get; }

    public void Dispose()
    {
        database.Dispose();
        directory.Dispose();
    }
}
