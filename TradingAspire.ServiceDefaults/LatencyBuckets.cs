using System.Diagnostics.Metrics;

namespace TradingAspire.ServiceDefaults;

/// <summary>Histogram bucket advice for durations recorded in seconds (0.1 ms … 30 s).</summary>
public static class LatencyBuckets
{
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries =
        [
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05,
            0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10, 30,
        ],
    };

    public static Histogram<double> CreateSecondsHistogram(this Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: Seconds);
}
