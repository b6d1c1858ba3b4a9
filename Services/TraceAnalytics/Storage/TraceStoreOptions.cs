namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>Configuration section <c>TraceAnalytics:Store</c>.</summary>
public sealed class TraceStoreOptions
{
    public const string Section = "TraceAnalytics:Store";
    public const string DatabaseFileName = "traces.duckdb";

    /// <summary>Folder of <c>traces.duckdb</c>; defaults to <c>&lt;ContentRootPath&gt;/.data</c>.</summary>
    public string? DataDir { get; set; }

    /// <summary>Most spans <see cref="ITraceStore.GetTraceAsync"/> returns for one trace.</summary>
    public int MaxSpansPerTrace { get; set; } = 10_000;

    /// <summary>Spans older than this many hours are deleted by the retention job.</summary>
    public double RetentionHours { get; set; } = 72;

    /// <summary>When the store uses more than this many MiB, its oldest spans are deleted down to 90 % of it.</summary>
    public double MaxSizeMb { get; set; } = 2048;

    /// <summary>Seconds between two passes of the retention job.</summary>
    public double RetentionIntervalSeconds { get; set; } = 60;

    /// <summary>Most trace ids <see cref="ITraceStore.FindTraceIdsByOrderIdAsync"/> returns.</summary>
    public int MaxTracesPerOrder { get; set; } = 100;
}
