using HdrHistogram;

namespace TradingAspire.MarketData;

/// <summary>
/// Feed latency (receive time − the venue's timestamp) of one venue over the current health-report
/// interval, in an HdrHistogram of microseconds (3 significant digits, up to one minute). The feed's loop
/// records; the reporter takes the interval's histogram and starts a new one, adding it to the totals since
/// start (<see cref="SinceStart"/>, what <c>GET /feeds/{venue}/latency</c> shows). The hot path is unchanged.
/// </summary>
public sealed class FeedLatency
{
    public const long MaxMicros = 60_000_000;

    private readonly object gate = new();
    private LongHistogram current = New();
    private LongHistogram spare = New();
    private readonly LongHistogram total = New();

    /// <summary>Latency in µs of a message sent at <paramref name="venueMicros"/> and read at <paramref name="receivedMicros"/>; a clock skew below zero counts as 0.</summary>
    public static long Micros(long venueMicros, long receivedMicros) => Math.Clamp(receivedMicros - venueMicros, 0, MaxMicros);

    public void Record(long micros)
    {
        lock (gate)
        {
            current.RecordValue(micros);
        }
    }

    /// <summary>The interval's p50, p99 and max in milliseconds (null when nothing arrived), and a fresh interval.</summary>
    public (double? P50, double? P99, double? Max) TakeInterval()
    {
        LongHistogram taken;
        lock (gate)
        {
            taken = current;
            current = spare;
            total.Add(taken);
        }

        (double?, double?, double?) result = taken.TotalCount == 0
            ? (null, null, null)
            : (taken.GetValueAtPercentile(50) / 1000.0, taken.GetValueAtPercentile(99) / 1000.0, taken.GetMaxValue() / 1000.0);
        taken.Reset();
        lock (gate)
        {
            spare = taken;
        }

        return result;
    }

    /// <summary>Every latency recorded since the service started (the closed intervals plus the current one), a copy.</summary>
    public LongHistogram SinceStart()
    {
        lock (gate)
        {
            var copy = (LongHistogram)total.Copy();
            copy.Add(current);
            return copy;
        }
    }

    private static LongHistogram New() => new(MaxMicros, 3);
}
