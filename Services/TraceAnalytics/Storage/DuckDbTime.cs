namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// Timestamps are stored as naive UTC (<c>TIMESTAMP_NS</c>): values handed to DuckDB.NET are made
/// <see cref="DateTimeKind.Unspecified"/> so it never applies a time zone, and values read back are UTC.
/// </summary>
public static class DuckDbTime
{
    public static DateTime ToStored(DateTime utc) =>
        DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Unspecified);

    public static DateTime FromStored(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);

    /// <summary>Nanoseconds since the Unix epoch (100 ns resolution, like <see cref="DateTime"/>).</summary>
    public static long ToUnixNanos(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static DateTime FromUnixNanos(long nanos) => new(DateTime.UnixEpoch.Ticks + nanos / 100, DateTimeKind.Utc);
}
