using System.Net.WebSockets;

namespace TradingAspire.MarketData;

/// <summary>One received WebSocket message: its size in the buffer, or that it was too big (drained), binary, or a close.</summary>
public readonly record struct ReceivedFrame(int Bytes, bool Huge, bool Binary, bool Closed, WebSocketCloseStatus? CloseStatus, string? CloseDescription);

/// <summary>
/// Reads one whole message into a fixed buffer (no allocation). A message longer than the buffer is read to
/// its end and discarded (<see cref="ReceivedFrame.Huge"/>), so a hostile frame costs no memory.
/// </summary>
public static class FrameReceiver
{
    public static async ValueTask<ReceivedFrame> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        var total = 0;
        var huge = false;
        while (true)
        {
            if (count == buffer.Length)
            {
                huge = true;
                count = 0;
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new(0, false, false, true, socket.CloseStatus, socket.CloseStatusDescription);
            }

            count += result.Count;
            total += result.Count;
            if (result.EndOfMessage)
            {
                return new(huge ? total : count, huge, result.MessageType == WebSocketMessageType.Binary, false, null, null);
            }
        }
    }
}
