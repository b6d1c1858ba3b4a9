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

    /// <summary>
    /// What the venue's publisher owes this connection since its last tick: quotes and trades at the
    /// configured rate round-robin across subscribed symbols, pending malformed frames, the heartbeat.
    /// One lock per tick, no allocation per message.
    /// </summary>
    internal void Pump(in PumpTick tick)
    {
        if (!loggedIn || IsClosing)
        {
            return;
        }

        lock (gate)
        {
            if (malformedPending.Count > 0)
            {
                EmitMalformedLocked(tick);
            }

            var symbols = subscribed;
            if (tick.Stale || symbols.Length == 0)
            {
                owed = 0;
            }
            else
            {
                owed = Math.Min(owed + tick.Rate * tick.ElapsedSeconds, Math.Max(1, tick.Rate / 4.0));
                var due = (int)owed;
                if (tick.Backpressure)
                {
                    // What fits, keeping room for the heartbeat and control answers.
                    due = Math.Clamp(SendBufferMessages - queue.Reader.Count - Math.Min(BackpressureReserve, SendBufferMessages / 2), 0, due);
                }

                owed -= due;
                for (var i = 0; i < due && !IsClosing; i++)
                {
                    var index = symbols[(uint)roundRobin++ % (uint)symbols.Length];
                    var venueQuote = tick.Quotes[index];
                    var random = tick.Random;
                    var quote = new FeedQuote(Venue.EncodedSymbols[index], venueQuote.Bid, venueQuote.Ask, Size(random), Size(random));
                    if (random.NextDouble() < tick.TradeShare)
                    {
                        SequenceLocked((quote, random.Next(2) == 0, Size(random)),
                            static (w, seq, s) => FeedMessageWriter.Trade(w, seq, s.quote, s.Item2, s.Item3, FeedMessageWriter.NowMicros()),
                            tick.Now, tick.DropProbability, random);
                    }
                    else
                    {
                        SequenceLocked(quote, static (w, seq, q) => FeedMessageWriter.Quote(w, seq, q, FeedMessageWriter.NowMicros()),
                            tick.Now, tick.DropProbability, random);
                    }
                }
            }

            if (tick.Now >= nextHeartbeat)
            {
                nextHeartbeat = tick.Now + tick.HeartbeatTicks;
                Serialize(ring.LastSeq, static (w, last) => FeedMessageWriter.Heartbeat(w, last, FeedMessageWriter.NowMicros()));
                Enqueue(buffer.WrittenSpan, tick.Now);
            }
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

    /// <summary>
    /// Stops queuing and has the send loop close with <paramref name="status"/>; queued messages are sent
    /// first unless <paramref name="discard"/>. A client that does not complete the close within the
    /// grace period is aborted. Only the first request counts.
    /// </summary>
    public bool RequestClose(WebSocketCloseStatus status, string? description, bool discard)
    {
        if (Interlocked.CompareExchange(ref closeState, 1, 0) != 0)
        {
            return false;
        }

        closeStatus = status;
        discardQueued = discard;
        closeDescription = description ?? "closed";
        queue.Writer.TryComplete();
        try
        {
            lifetime.CancelAfter(closeGrace);
        }
        catch (ObjectDisposedException)
        {
        }

        return true;
    }

    /// <summary>Drops the connection at once, no close handshake (admin disconnect, venue down).</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref closeState, 2);
        closeDescription ??= "aborted";
        queue.Writer.TryComplete();
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The one sender: sends queued frames in order (late when a delay fault is on), then the close.</summary>
    internal async Task SendLoopAsync()
    {
        var reader = queue.Reader;
        var token = lifetime.Token;
        var sent = 0L;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                var fault = Venue.Fault;
                var delayTicks = fault.DelayMs * Stopwatch.Frequency / 1000;
                var jitterMs = fault.JitterMs;
                while (reader.TryRead(out var frame))
                {
                    try
                    {
                        if (discardQueued)
                        {
                            continue;
                        }

                        if (delayTicks > 0 || jitterMs > 0)
                        {
                            var due = frame.Generated + delayTicks + (jitterMs > 0 ? Random.Shared.Next(jitterMs + 1) * Stopwatch.Frequency / 1000 : 0);
                            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                            if (wait > TimeSpan.Zero)
                            {
                                await Task.Delay(wait, token).ConfigureAwait(false);
                            }
                        }

                        await socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, token).ConfigureAwait(false);
                        sent++;
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame.Buffer);
                    }
                }

                metrics.Sent(Venue.Name, sent);
                sent = 0;
            }

            if (Volatile.Read(ref closeState) == 1 && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(closeStatus, closeDescription, token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The connection was aborted or its close timed out: nothing more can be sent.
        }
        finally
        {
            metrics.Sent(Venue.Name, sent);
            while (reader.TryRead(out var frame))
            {
                ArrayPool<byte>.Shared.Return(frame.Buffer);
            }
        }
    }

    private void SequenceLocked<TState>(TState state, Action<Utf8JsonWriter, long, TState> write, long generated, double dropProbability, Random? random = null)
    {
        var seq = ring.LastSeq + 1;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, seq, state);
        writer.Flush();
        ring.Store(seq, buffer.WrittenSpan);
        if (dropsPending > 0 && Interlocked.Decrement(ref dropsPending) >= 0)
        {
            return;
        }

        if (dropProbability > 0 && (random ?? Random.Shared).NextDouble() < dropProbability)
        {
            return;
        }

        Enqueue(buffer.WrittenSpan, generated);
    }

    private void EmitMalformedLocked(in PumpTick tick)
    {
        while (malformedPending.TryDequeue(out var injection))
        {
            if (tick.Quotes.Length == 0 && injection.Kind is VenueFeedAdmin.MalformedKinds.SeqBackwards or VenueFeedAdmin.MalformedKinds.FutureTimestamp)
            {
                continue;
            }

            for (var i = 0; i < injection.Count && !IsClosing; i++)
            {
                switch (injection.Kind)
                {
                    case VenueFeedAdmin.MalformedKinds.InvalidJson:
                        Enqueue(FeedMessageWriter.InvalidJson, tick.Now);
                        break;
                    case VenueFeedAdmin.MalformedKinds.Huge:
                        var huge = ArrayPool<byte>.Shared.Rent(FeedMessageWriter.HugeFrameBytes);
                        EnqueueRented(huge, FeedMessageWriter.Huge(huge), tick.Now);
                        break;
                    case VenueFeedAdmin.MalformedKinds.UnknownType:
                        Serialize(0, static (w, _) => FeedMessageWriter.UnknownType(w, FeedMessageWriter.NowMicros()));
                        Enqueue(buffer.WrittenSpan, tick.Now);
                        break;
                    case VenueFeedAdmin.MalformedKinds.SeqBackwards:
                        Serialize((Math.Max(0, ring.LastSeq - 1), AnyQuote(tick)), static (w, s) => FeedMessageWriter.Quote(w, s.Item1, s.Item2, FeedMessageWriter.NowMicros()));
                        Enqueue(buffer.WrittenSpan, tick.Now);
                        break;
                    case VenueFeedAdmin.MalformedKinds.FutureTimestamp:
                        SequenceLocked(AnyQuote(tick), static (w, seq, q) => FeedMessageWriter.Quote(w, seq, q, FeedMessageWriter.NowMicros() + 3_600_000_000L), tick.Now, 0);
                        break;
                }
            }
        }
    }

    /// <summary>A real quote for a malformed frame to carry: the first subscribed symbol, else the venue's first listing.</summary>
    private FeedQuote AnyQuote(in PumpTick tick)
    {
        var symbols = subscribed;
        var index = symbols.Length > 0 ? symbols[0] : 0;
        var quote = tick.Quotes[index];
        return new FeedQuote(Venue.EncodedSymbols[index], quote.Bid, quote.Ask, 1, 1);
    }

    private void Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
    }

    private void Enqueue(ReadOnlySpan<byte> message, long generated)
    {
        var rented = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(rented);
        EnqueueRented(rented, message.Length, generated);
    }

    private void EnqueueRented(byte[] rented, int length, long generated)
    {
        if (queue.Writer.TryWrite(new FeedFrame(rented, length, generated)))
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(rented);
        if (RequestClose(WebSocketCloseStatus.PolicyViolation, VenueFeedProtocol.Reasons.SlowConsumer, discard: true))
        {
            metrics.SlowConsumer(Venue.Name);
        }
    }

    private static double Size(Random random) => Math.Round(0.01 + random.NextDouble() * 10, 4);

    public void Dispose()
    {
        lifetime.Dispose();
        writer.Dispose();
    }

    /// <summary>One queued frame: a pooled array, its used length, and when it was generated (Stopwatch ticks).</summary>
    private readonly record struct FeedFrame(byte[] Buffer, int Length, long Generated)
    {
        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);
    }
}

/// <summary>What the venue's publisher hands every session on one tick.</summary>
internal readonly record struct PumpTick(
    long Now, double ElapsedSeconds, int Rate, double TradeShare, bool Stale, double DropProbability,
    long HeartbeatTicks, VenueQuote[] Quotes, Random Random, bool Backpressure = false);
