using System.Diagnostics;

namespace TradingAspire.MarketData;

/// <summary>Logs malformed frames at most once a second per venue, with how many were not logged in between.</summary>
public sealed partial class MalformedFrameLog(ILogger logger, string venue)
{
    private static readonly long Interval = Stopwatch.Frequency;
    private long lastLogged;
    private long suppressed;

    public void Seen(MalformedKind kind, int bytes)
    {
        var now = Stopwatch.GetTimestamp();
        if (lastLogged != 0 && now - lastLogged < Interval)
        {
            suppressed++;
            return;
        }

        Log(logger, venue, kind.TagValue(), bytes, suppressed);
        lastLogged = now;
        suppressed = 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed frame from {Venue}: {Kind} ({Bytes} bytes); {Suppressed} more not logged since the last")]
    private static partial void Log(ILogger logger, string venue, string kind, int bytes, long suppressed);
}
