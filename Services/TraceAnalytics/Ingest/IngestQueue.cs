using System.Threading.Channels;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The bounded hand-off between the ingest endpoint and <see cref="TraceBatchWriter"/>. Each item is the
/// spans of one request, so a request is queued whole or refused whole (a retry never duplicates half of it).
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<IReadOnlyList<SpanRecord>> channel;

    public IngestQueue(int capacity)
    {
        channel = Channel.CreateBounded<IReadOnlyList<SpanRecord>>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<IReadOnlyList<SpanRecord>> Reader => channel.Reader;

    /// <summary>False when the queue is full or closed: the caller must tell its client to retry.</summary>
    public bool TryEnqueue(IReadOnlyList<SpanRecord> spans) => spans.Count == 0 || channel.Writer.TryWrite(spans);

    /// <summary>Stops taking requests; the writer drains what is queued.</summary>
    public void Complete() => channel.Writer.TryComplete();
}
