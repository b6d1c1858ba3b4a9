namespace TradingAspire.MarketData;

/// <summary>Settings of the marketdata service (section <c>MarketData</c>).</summary>
public sealed class MarketDataOptions
{
    public const string Section = "MarketData";

    /// <summary>The exchanges service's base address (service discovery resolves <c>http://exchanges</c>).</summary>
    public string ExchangesUrl { get; set; } = "http://exchanges";

    /// <summary>Off: only parse and update the book (no metrics, spans or quality checks) — the benchmark's baseline.</summary>
    public MonitoringOptions Monitoring { get; set; } = new();

    /// <summary>Follow only these venues (names as the exchanges service lists them); empty follows every venue.</summary>
    public List<string> Venues { get; set; } = [];

    public ReconnectOptions Reconnect { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    /// <summary>A frame above this is drained and discarded (malformed kind <c>huge</c>).</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>A venue timestamp further than this in the future is malformed (<c>future_timestamp</c>).</summary>
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replay may take before the gap is resynced with a snapshot (not recovered).</summary>
    public TimeSpan ReplayTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long connect + login + subscribe may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No frame (not even a heartbeat) for this long: the connection is dead.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often changed quotes are written to the book hash and published.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A symbol without an update for this long is stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A feed with a gap in this window is degraded.</summary>
    public TimeSpan GapDegradedFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often one <c>FeedHealthReport</c> per venue goes to the stream <c>marketdata.health</c>.</summary>
    public TimeSpan HealthReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Approximate cap of the health stream (XADD MAXLEN ~).</summary>
    public int HealthStreamMaxLength { get; set; } = 20_000;

    public sealed class MonitoringOptions
    {
        public bool Enabled { get; set; } = true;
    }

    public sealed class ReconnectOptions
    {
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    }

    public sealed class TracingOptions
    {
        /// <summary>One message span in this many (plus every message next to an anomaly).</summary>
        public int MessageSampleEvery { get; set; } = 1000;
    }
}
