namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// <see cref="ITraceStore"/> on <see cref="TraceDatabase"/>: appends spans on its write path, one batch at a
/// time, and reads traces back on short-lived connections.
/// </summary>
public sealed class DuckDbTraceStore(TraceDatabase database, int maxSpansPerTrace = 10_000, int maxTracesPerOrder = 100) : ITraceStore
{
    private const int MaxOrderTraceCandidates = 1000;

    public async Task AppendAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken = default)
    {
        if (spans.Count == 0)
        {
            return;
        }

        await database.WriteAsync(connection =>
        {
            SpanTable.Append(connection, spans);
            return spans.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var query = new DuckDbQuery($"""
                SELECT {SpanTable.SelectSpan}
                FROM {SpanTable.Name}
                WHERE "TraceId" = $traceId
                ORDER BY "Timestamp", "SpanId"
                LIMIT $limit
                """)
            .Bind("traceId", traceId)
            .Bind("limit", maxSpansPerTrace);
        var spans = await database.QueryAsync(query, SpanRows.Read, cancellationToken).ConfigureAwait(false);
        return spans.DistinctBy(span => span.SpanId, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Two index lookups instead of one join: the traces carrying the order id (ART index on <c>OrderId</c>),
    /// then each of those traces' span count (ART index on <c>TraceId</c>), so the answer does not slow
    /// down with the size of the store. Ranked as before: most spans first, then earliest, then trace id.
    /// </summary>
    public Task<IReadOnlyList<string>> FindTraceIdsByOrderIdAsync(string orderId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            var candidates = await new DuckDbQuery($"""SELECT DISTINCT "TraceId" FROM {SpanTable.Name} WHERE "OrderId" = $orderId LIMIT $limit""")
                .Bind("orderId", orderId)
                .Bind("limit", MaxOrderTraceCandidates)
                .ReadAsync(connection, row => row.String(SpanTable.TraceId), cancellationToken).ConfigureAwait(false);
            if (candidates.Count <= 1)
            {
                return candidates;
            }

            var ranked = new List<(string TraceId, long Spans, DateTime First)>(candidates.Count);
            foreach (var traceId in candidates)
            {
                var sizes = await new DuckDbQuery($"""
                        SELECT count(DISTINCT "SpanId") AS spans, min("Timestamp") AS first FROM {SpanTable.Name} WHERE "TraceId" = $traceId
                        """)
                    .Bind("traceId", traceId)
                    .ReadAsync(connection, row => (Spans: row.Int64("spans"), First: row.NullableTime("first") ?? DateTime.MaxValue), cancellationToken)
                    .ConfigureAwait(false);
                ranked.AddRange(sizes.Select(size => (traceId, size.Spans, size.First)));
            }

            return ranked
                .OrderByDescending(t => t.Spans)
                .ThenBy(t => t.First)
                .ThenBy(t => t.TraceId, StringComparer.Ordinal)
                .Take(maxTracesPerOrder)
                .Select(t => t.TraceId)
                .ToArray();
        }, cancellationToken);
}
