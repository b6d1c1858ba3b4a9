namespace TradingAspire.MarketData;

/// <summary>
/// One venue feed's running totals since the service started. Written only by the feed's own loop
/// (plain increments), read by metrics, health reports and <c>/feeds</c>.
/// </summary>
public sealed class FeedCounters
{
    public long Quotes;
    public long Trades;
    public long Heartbeats;
    public long OtherMessages;
    public long Gaps;
    public long GapMessages;
    public long GapsRecovered;
    public long GapsUnrecovered;
    public long Disconnects;
    public long Reconnects;
    public long OutOfOrder;
    public long Duplicates;
    public long CrossedQuotes;
    public readonly long[] Malformed = new long[MalformedKinds.All.Length + 1];

    public long Messages => Volatile.Read(ref Quotes) + Volatile.Read(ref Trades) + Volatile.Read(ref Heartbeats) + Volatile.Read(ref OtherMessages);

    public long MalformedTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < Malformed.Length; i++)
            {
                total += Volatile.Read(ref Malformed[i]);
            }

            return total;
        }
    }

    /// <summary>A copy, for the difference over an interval.</summary>
    public FeedCountersSnapshot Read() => new(Messages, Volatile.Read(ref Gaps), Volatile.Read(ref GapMessages), Volatile.Read(ref GapsRecovered),
        Volatile.Read(ref Disconnects), Volatile.Read(ref Reconnects), Volatile.Read(ref OutOfOrder), Volatile.Read(ref CrossedQuotes), MalformedTotal);
}

/// <summary>The counters at one moment; subtracting two gives an interval's counts.</summary>
public readonly record struct FeedCountersSnapshot(
    long Messages, long Gaps, long GapMessages, long GapsRecovered, long Disconnects, long Reconnects, long OutOfOrder, long CrossedQuotes, long Malformed)
{
    public static FeedCountersSnapshot operator -(FeedCountersSnapshot a, FeedCountersSnapshot b) => new(
        a.Messages - b.Messages, a.Gaps - b.Gaps, a.GapMessages - b.GapMessages, a.GapsRecovered - b.GapsRecovered,
        a.Disconnects - b.Disconnects, a.Reconnects - b.Reconnects, a.OutOfOrder - b.OutOfOrder, a.CrossedQuotes - b.CrossedQuotes,
        a.Malformed - b.Malformed);
}
