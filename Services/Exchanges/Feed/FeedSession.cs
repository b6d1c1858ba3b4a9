using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// One client connection to a venue feed: the sequence, the replay ring, the bounded send queue and the
/// one loop that sends (WebSocket allows one sender). Every message is serialized under the session's
/// lock, so the seq order is the send order whether the publisher or a client request produced it.
/// </summary>
public sealed partial class FeedSession : IDisposable
{
    /// <summary>Send-queue slots the publisher leaves free under <see cref="FeedOptions.Backpressure"/>.</summary>
    private const int BackpressureReserve = 64;

    private readonly object gate = new();
    private readonly WebSocket socket;
    private readonly Channel<FeedFrame> queue;
    private readonly ReplayRing ring;
    private readonly ArrayBufferWriter<byte> buffer = new(512);
    private readonly Utf8JsonWriter writer;
    private readonly FeedMetrics metrics;
    private readonly TimeSpan closeGrace;
    private readonly CancellationTokenSource lifetime;
    private volatile int[] subscribed = [];
    private volatile bool loggedIn;
    private int closeState;
    private WebSocketCloseStatus closeStatus;
    private volatile string? closeDescription;
    private volatile bool discardQueued;
    private long dropsPending;
    private readonly Queue<(string Kind, int Count)> malformedPending = new();
    private double owed;
    private int roundRobin;
    private long nextHeartbeat;

    public FeedSession(VenueFeed venue, WebSocket socket, FeedOptions options, int sendBufferMessages, FeedMetrics metrics, CancellationToken requestAborted)
    {
        Venue = venue;
        this.socket = socket;
        this.metrics = metrics;
        closeGrace = options.CloseGrace;
        SendBufferMessages = Math.Max(1, sendBufferMessages);
        queue = Channel.CreateBounded<FeedFrame>(new BoundedChannelOptions(SendBufferMessages)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ring = new ReplayRing(Math.Max(1, options.ReplayBufferMessages));
        writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        lifetime.Token.UnsafeRegister(static s => ((WebSocket)s!).Abort(), socket);
    }

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    public VenueFeed Venue { get; }

    public int SendBufferMessages { get; }

    public bool LoggedIn => loggedIn;

    /// <summary>Cancelled when the connection is over (aborted, or its close did not finish in time).</summary>
    public CancellationToken Lifetime => lifetime.Token;

    /// <summary>Why the venue is closing this connection (null while open).</summary>
    public string? Closing => closeDescription;

    public bool IsClosing => Volatile.Read(ref closeState) != 0;

    public long LastSeq
    {
        get
        {
            lock (gate)
            {
                return ring.LastSeq;
            }
        }
    }

    public int Queued => queue.Reader.Count;

    public IReadOnlyList<string> SubscribedSymbols => subscribed.Select(i => Venue.Symbols[i]).ToArray();

    internal void MarkLoggedIn(long heartbeatDue)
    {
        lock (gate)
        {
            nextHeartbeat = heartbeatDue;
            loggedIn = true;
        }
    }

    /// <summary>Adds symbols (indices into the venue's listing); answers those that were not subscribed yet.</summary>
    internal List<int> Subscribe(IEnumerable<int> symbols)
    {
        lock (gate)
        {
            var added = symbols.Distinct().Where(s => Array.IndexOf(subscribed, s) < 0).ToList();
            subscribed = [.. subscribed, .. added];
            return added;
        }
    }

    internal void Unsubscribe(IEnumerable<int> symbols)
    {
        lock (gate)
        {
            var removed = symbols.ToHashSet();
            subscribed = subscribed.Where(s => !removed.Contains(s)).ToArray();
        }
    }

    internal int[] Subscribed => subscribed;

    /// <summary>The next <paramref name="count"/> sequenced messages take their seq and go into the replay ring, but are not sent.</summary>
    public void Drop(int count) => Interlocked.Add(ref dropsPending, count);

    public void InjectMalformed(string kind, int count)
    {
        lock (gate)
        {
            malformedPending.Enqueue((kind, count));
        }
    }

    /// <summary>Writes one unsequenced message (a control answer) and queues it.</summary>
    internal void Send<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        lock (gate)
        {
            Serialize(state, write);
            Enqueue(buffer.WrittenSpan, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Writes one unsequenced message that states the last seq sent (read under the same lock, so no sequenced message slips in between).</summary>
    internal void SendWithLastSeq<TState>(TState state, Action<Utf8JsonWriter, long, TState> write)
    {
        lock (gate)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            write(writer, ring.LastSeq, state);
            writer.Flush();
            Enqueue(buffer.WrittenSpan, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Writes one sequenced message (it takes the next seq, goes into the replay ring) and queues it unless a drop is pending.</summary>
    internal void SendSequenced<TState>(TState state, Action<Utf8JsonWriter, long, TState> write)
    {
        lock (gate)
        {
            SequenceLocked(state, write, Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>Queues messages <paramref name="fromSeq"/>..<paramref name="toSeq"/> as first sent plus <c>"replay":true</c>, then <c>replay_done</c>; or <c>replay_unavailable</c>.</summary>
    internal void Replay(long fromSeq, long toSeq)
    {
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (fromSeq < ring.OldestSeq)
            {
                Serialize((fromSeq, toSeq, ring.OldestSeq), static (w, r) => FeedMessageWriter.ReplayUnavailable(w, r.fromSeq, r.toSeq, r.Item3));
                Enqueue(buffer.WrittenSpan, now);
                return;
            }

            var tail = FeedMessageWriter.ReplayTail;
            for (var seq = fromSeq; seq <= toSeq && !IsClosing; seq++)
            {
                ring.TryGet(seq, out var original);
                var length = original.Length - 1 + tail.Length;
                var rented = ArrayPool<byte>.Shared.Rent(length);
                original[..^1].CopyTo(rented);
                tail.CopyTo(rented.AsSpan(original.Length - 1));
                EnqueueRented(rented, length, now);
            }

            Serialize((fromSeq, toSeq), static (w, r) => FeedMessageWriter.ReplayDone(w, r.fromSeq, r.toSeq));
            Enqueue(buffer.WrittenSpan, now);
        }
    }

    /// <summary>The seqs a replay may ask for now: (oldest held, last sent).</summary>
    internal (long Oldest, long Last) ReplayWindow()
    {
        lock (gate)
        {
            return (ring.OldestSeq, ring.LastSeq);
        }
    }

    private void Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
    }

    public void Dispose()
    {
        lifetime.Dispose();
        writer.Dispose();
    }
}
