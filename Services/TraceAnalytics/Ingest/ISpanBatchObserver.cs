using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// Told about every batch the writer has stored (span-derived metrics now; alert rules can plug in the same way).
/// Called on the writer's thread: keep it quick and never throw.
/// </summary>
public interface ISpanBatchObserver
{
    void OnStored(IReadOnlyList<SpanRecord> spans);
}
