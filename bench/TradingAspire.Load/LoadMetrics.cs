using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace TradingAspire.Load;

/// <summary>One second of the run as the chart shows it.</summary>
public sealed record TimelinePoint(
    double Second, long Sent, long Accepted, long Completed, long Errors, long InFlight,
    double AcceptP50Ms, double AcceptP99Ms, double FinalP50Ms, double FinalP99Ms);

/// <summary>
/// Counts and latency histograms (HdrHistogram, microseconds, 1 µs to 10 min, 3 digits) of a run. Latencies count
/// from each order's intended send time, so a stalled sender or server shows up in them (no coordinated omission).
/// The summary histograms hold only orders sent after the warm-up; the per-second ones hold every order.
/// </summary>
public sealed class LoadMetrics
{
    private const long MaxMicros = 600_000_000;
    private readonly Recorder acceptInterval = NewRecorder();
    private readonly Recorder finalInterval = NewRecorder();
    private long sent, accepted, completed, errors;
    private long lastSent, lastAccepted, lastCompleted, lastErrors;

    public HistogramBase Accept { get; } = new LongConcurrentHistogram(1, MaxMicros, 3);
    public HistogramBase Final { get; } = new LongConcurrentHistogram(1, MaxMicros, 3);
    /// <summary>Final outcomes of the orders sent after the warm-up, by status.</summary>
    public ConcurrentDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, long> ErrorsByKind { get; } = new(StringComparer.Ordinal);
    public List<TimelinePoint> Timeline { get; } = [];

    public long Sent => Interlocked.Read(ref sent);
    public long AcceptedCount => Interlocked.Read(ref accepted);
    public long Completed => Interlocked.Read(ref completed);
    public long Errors => Interlocked.Read(ref errors);
    public long MeasuredSent { get; private set; }
    public long MeasuredAccepted { get; private set; }
    public long MeasuredCompleted { get; private set; }
    public long NotificationsMissed { get; private set; }

    public void RecordSent(bool measured)
    {
        Interlocked.Increment(ref sent);
        if (measured)
        {
            lock (Accept)
            {
                MeasuredSent++;
            }
        }
    }

    public void RecordAccepted(long intendedTimestamp, bool measured)
    {
        Interlocked.Increment(ref accepted);
        var micros = MicrosSince(intendedTimestamp, Stopwatch.GetTimestamp());
        acceptInterval.RecordValue(micros);
        if (measured)
        {
            Accept.RecordValue(micros);
            lock (Accept)
            {
                MeasuredAccepted++;
            }
        }
    }

    public void RecordError(string kind)
    {
        Interlocked.Increment(ref errors);
        ErrorsByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void RecordOutcome(PendingOrder order, string status, long timestamp)
    {
        Interlocked.Increment(ref completed);
        if (order.Measured)
        {
            Outcomes.AddOrUpdate(status, 1, (_, n) => n + 1);
        }

        var micros = MicrosSince(order.IntendedTimestamp, timestamp);
        finalInterval.RecordValue(micros);
        if (order.Measured)
        {
            Final.RecordValue(micros);
            lock (Accept)
            {
                MeasuredCompleted++;
            }
        }
    }

    /// <summary>An order found final by asking the gateway: it counts as completed, without a latency (its notification was never seen).</summary>
    public void RecordSettledWithoutNotification(PendingOrder order, string status)
    {
        Interlocked.Increment(ref completed);
        lock (Accept)
        {
            NotificationsMissed++;
            if (order.Measured)
            {
                MeasuredCompleted++;
                Outcomes.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>Closes the second that just ended: its counts and percentiles become a point of the chart.</summary>
    public TimelinePoint Tick(double second, long inFlight)
    {
        var acceptSecond = acceptInterval.GetIntervalHistogram();
        var finalSecond = finalInterval.GetIntervalHistogram();
        var point = new TimelinePoint(
            second,
            Delta(Sent, ref lastSent), Delta(AcceptedCount, ref lastAccepted), Delta(Completed, ref lastCompleted), Delta(Errors, ref lastErrors),
            inFlight,
            Percentile(acceptSecond, 50), Percentile(acceptSecond, 99), Percentile(finalSecond, 50), Percentile(finalSecond, 99));
        Timeline.Add(point);
        return point;
    }

    public static double Percentile(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static long Delta(long now, ref long last)
    {
        var delta = now - last;
        last = now;
        return delta;
    }

    private static long MicrosSince(long from, long to) =>
        Math.Clamp((long)((to - from) * 1_000_000.0 / Stopwatch.Frequency), 1, MaxMicros);

    private static Recorder NewRecorder() =>
        new(1, MaxMicros, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
}
