namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// Where spans are kept. The DuckDB store is the first implementation; the schema follows the
/// OpenTelemetry Collector ClickHouse exporter so a ClickHouse store can replace it.
/// Implementations accept one writer and any number of concurrent readers.
/// </summary>
public interface ITraceStore
{
    /// <summary>Appends a batch of spans atomically: all of them or, on failure, none.</summary>
    Task AppendAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken = default);

    /// <summary>
    /// The spans of a trace (one per span id) sorted by start time; empty when the trace is unknown.
    /// </summary>
    /// <param name="traceId">32 lower-case hex characters.</param>
    Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of the traces holding spans whose <c>trading.order_id</c> is <paramref name="orderId"/>,
    /// the trace with the most spans first (ties: the earliest first); empty when none.
    /// </summary>
    Task<IReadOnlyList<string>> FindTraceIdsByOrderIdAsync(string orderId, CancellationToken cancellationToken = default);
}
