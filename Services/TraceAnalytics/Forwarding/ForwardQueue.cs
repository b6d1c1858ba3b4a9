using System.Threading.Channels;
using OpenTelemetry.Proto.Trace.V1;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>Spans on their way to the backend: one received export (or one decision's kept traces), never split.</summary>
public sealed record ForwardItem(IReadOnlyList<ResourceSpans> ResourceSpans, int Spans);

/// <summary>
/// The bounded queue between ingest and the forwarder's sender: <see cref="Add"/> never waits. It holds at most
/// <c>maxSpans</c> spans: room is made by dropping the oldest items (what the backend would receive last is the most
/// current), and an item bigger than the whole queue is dropped itself. The caller counts what was dropped.
/// </summary>
public sealed class ForwardQueue(int maxSpans)
{
    private readonly Lock gate = new();
    private readonly Queue<ForwardItem> items = new();
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int spans;

    public int MaxSpans { get; } = Math.Max(1, maxSpans);

    /// <summary>Spans waiting.</summary>
    public int Spans
    {
        get { lock (gate) { return spans; } }
    }

    /// <summary>Queues the item; the spans dropped to make room for it (or the item's own when it is bigger than the queue).</summary>
    public int Add(ForwardItem item)
    {
        if (item.Spans <= 0)
        {
            return 0;
        }

        if (item.Spans > MaxSpans)
        {
            return item.Spans;
        }

        var dropped = 0;
        lock (gate)
        {
            while (spans + item.Spans > MaxSpans && items.TryDequeue(out var oldest))
            {
                spans -= oldest.Spans;
                dropped += oldest.Spans;
            }

            items.Enqueue(item);
            spans += item.Spans;
        }

        signal.Writer.TryWrite(true);
        return dropped;
    }

    /// <summary>
    /// Takes the oldest items, whole, while they fit in <paramref name="maxBatchSpans"/> — at least one, however big;
    /// empty when nothing waits.
    /// </summary>
    public IReadOnlyList<ForwardItem> Take(int maxBatchSpans)
    {
        var batch = new List<ForwardItem>();
        var taken = 0;
        lock (gate)
        {
            while (items.TryPeek(out var next) && (batch.Count == 0 || taken + next.Spans <= maxBatchSpans))
            {
                items.Dequeue();
                batch.Add(next);
                taken += next.Spans;
            }

            spans -= taken;
        }

        return batch;
    }

    /// <summary>Completes when something may be waiting (at once when something is).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (Spans == 0)
        {
            await signal.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
