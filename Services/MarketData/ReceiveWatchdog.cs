using System.Diagnostics;
using System.Net.WebSockets;

namespace TradingAspire.MarketData;

/// <summary>
/// Aborts a connection that has received nothing (not even a heartbeat) for the receive timeout: a dead
/// peer that never closes is otherwise only noticed by TCP much later. The receive loop marks life with a
/// plain write per frame; a timer checks once a second.
/// </summary>
public sealed class ReceiveWatchdog(WebSocket socket, TimeSpan timeout) : IDisposable
{
    private readonly long timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    private long lastFrame = Stopwatch.GetTimestamp();
    private Timer? timer;

    public bool Fired { get; private set; }

    public void Start()
    {
        Alive();
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        timer = new Timer(_ => Check(), null, period, period);
    }

    public void Alive() => lastFrame = Stopwatch.GetTimestamp();

    private void Check()
    {
        if (Stopwatch.GetTimestamp() - Volatile.Read(ref lastFrame) > timeoutTicks && !Fired)
        {
            Fired = true;
            socket.Abort();
        }
    }

    public void Dispose() => timer?.Dispose();
}
