using System.Diagnostics;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>
/// One venue's feed as the rest of the service sees it: its listed symbols, its book, its connection
/// state (the current session's ids), its counters and its latency over the current interval.
/// </summary>
public sealed class VenueFeed(string venue, IReadOnlyList<string> symbols)
{
    private long connectedSince;
    private long connectedTicksBefore;
    private long lastGapTimestamp;

    public string Venue { get; } = venue;
    public SymbolTable Symbols { get; } = new(symbols);
    public VenueBook Book => book ??= new VenueBook(Venue, Symbols);
    private VenueBook? book;

    public FeedCounters Counters { get; } = new();
    public FeedLatency Latency { get; } = new();

    /// <summary>Whether the feed is logged in and subscribed.</summary>
    public bool Subscribed { get; private set; }

    /// <summary>Our id of the current (or last) connection session.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The trace id of the current session's span, when traced.</summary>
    public string? SessionTraceId { get; private set; }

    public string? LastDisconnectReason { get; private set; }

    public DateTimeOffset? LastGapAt { get; private set; }

    public void SessionStarted(string sessionId, string? traceId)
    {
        SessionId = sessionId;
        SessionTraceId = traceId;
    }

    public void SessionSubscribed()
    {
        Volatile.Write(ref connectedSince, Stopwatch.GetTimestamp());
        Subscribed = true;
    }

    public void SessionEnded(string reason)
    {
        var since = Interlocked.Exchange(ref connectedSince, 0);
        if (since != 0)
        {
            Interlocked.Add(ref connectedTicksBefore, Stopwatch.GetElapsedTime(since).Ticks);
        }

        Subscribed = false;
        LastDisconnectReason = reason;
    }

    public void GapSeen()
    {
        Volatile.Write(ref lastGapTimestamp, Stopwatch.GetTimestamp());
        LastGapAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Seconds subscribed since the service started (for the interval's ConnectedSeconds, by difference).</summary>
    public double ConnectedSecondsTotal()
    {
        var since = Volatile.Read(ref connectedSince);
        var current = since == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(since);
        return TimeSpan.FromTicks(Volatile.Read(ref connectedTicksBefore)).TotalSeconds + current.TotalSeconds;
    }

    public bool GapWithin(TimeSpan window)
    {
        var at = Volatile.Read(ref lastGapTimestamp);
        return at != 0 && Stopwatch.GetElapsedTime(at) < window;
    }

    public int StaleSymbols(TimeSpan staleAfter) =>
        Subscribed ? Book.StaleCount(VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow - staleAfter)) : Symbols.Count;

    /// <summary><see cref="FeedStates"/>: down when not subscribed, degraded when stale symbols or a recent gap.</summary>
    public string State(TimeSpan staleAfter, TimeSpan gapDegradedFor) =>
        !Subscribed ? FeedStates.Down
        : StaleSymbols(staleAfter) > 0 || GapWithin(gapDegradedFor) ? FeedStates.Degraded
        : FeedStates.Up;
}
