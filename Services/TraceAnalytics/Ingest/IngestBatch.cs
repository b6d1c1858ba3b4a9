using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The spans of one export request on their way to the store, and the request's wait: the writer
/// completes <see cref="Stored"/> once the batch holding them is appended (group commit), or fails it
/// with the append's exception.
/// </summary>
public sealed class IngestBatch(IReadOnlyList<SpanRecord> spans)
{
    private readonly TaskCompletionSource stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SpanRecord> Spans { get; } = spans;

    /// <summary>Completes when the spans are appended; faults when the store could not append them.</summary>
    public Task Stored => stored.Task;

    internal void MarkStored() => stored.TrySetResult();

    internal void MarkFailed(Exception exception) => stored.TrySetException(exception);
}
