using System.Threading.Channels;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The bounded hand-off between the ingest endpoint and <see cref="TraceBatchWriter"/>. Each item is the
/// spans of one request, so a request is queued whole or refused whole (a retry never duplicates half of it).
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<IngestBatch> channel;
    private volatile bool closed;

    public IngestQueue(int capacity)
    {
        channel = Channel.CreateBounded<IngestBatch>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<IngestBatch> Reader => channel.Reader;

    /// <summary>Requests waiting for the writer.</summary>
    public int Count => channel.Reader.Count;

    /// <summary>True once <see cref="Complete"/> was called: the service is stopping.</summary>
    public bool IsClosed => closed;

    /// <summary>False when the queue is full or closed: the caller must tell its client to retry.</summary>
    public bool TryEnqueue(IngestBatch batch) => channel.Writer.TryWrite(batch);

    /// <summary>Waits for room, for producers that must not lose what they hand over (the tail sampler's kept traces).</summary>
    public ValueTask EnqueueAsync(IngestBatch batch, CancellationToken cancellationToken = default) =>
        channel.Writer.WriteAsync(batch, cancellationToken);

    /// <summary>Stops taking requests; the writer drains what is queued.</summary>
    public void Complete()
    {
        closed = true;
        channel.Writer.TryComplete();
    }
}
