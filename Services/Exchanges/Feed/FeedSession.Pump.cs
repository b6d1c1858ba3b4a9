using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;
/// <summary>The publisher's side of a session: what each tick owes the connection (quotes, trades, injected faults, heartbeats).</summary>
public sealed partial class FeedSession
{
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

    private static double Size(Random random) => Math.Round(0.01 + random.NextDouble() * 10, 4);
}

/// <summary>What the venue's publisher hands every session on one tick.</summary>
internal readonly record struct PumpTick(
    long Now, double ElapsedSeconds, int Rate, double TradeShare, bool Stale, double DropProbability,
    long HeartbeatTicks, VenueQuote[] Quotes, Random Random, bool Backpressure = false);
