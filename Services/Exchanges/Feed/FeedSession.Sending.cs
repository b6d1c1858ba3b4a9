using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;
/// <summary>The sending side of a session: the one send loop, the bounded queue and the close.</summary>
public sealed partial class FeedSession
{
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

    /// <summary>One queued frame: a pooled array, its used length, and when it was generated (Stopwatch ticks).</summary>
    private readonly record struct FeedFrame(byte[] Buffer, int Length, long Generated)
    {
        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);
    }
}
