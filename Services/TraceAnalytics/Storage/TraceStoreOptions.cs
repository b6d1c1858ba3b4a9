namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>Configuration section <c>TraceStore</c>.</summary>
public sealed class TraceStoreOptions
{
    public const string Section = "TraceStore";
    public const string DatabaseFileName = "traces.duckdb";

    /// <summary>Folder of <c>traces.duckdb</c>; defaults to <c>&lt;ContentRootPath&gt;/.data</c>.</summary>
    public string? DataDir { get; set; }

    /// <summary>Most spans <see cref="ITraceStore.GetTraceAsync"/> returns for one trace.</summary>
    public int MaxSpansPerTrace { get; set; } = 10_000;

    /// <summary>Most trace ids <see cref="ITraceStore.FindTraceIdsByOrderIdAsync"/> returns.</summary>
    public int MaxTracesPerOrder { get; set; } = 100;
}
