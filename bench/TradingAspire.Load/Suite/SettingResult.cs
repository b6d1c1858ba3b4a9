namespace TradingAspire.Load.Suite;

/// <summary>What one tracing setting measured: Redis's limit, the saturation run with its Redis command counts, the latency run.</summary>
public sealed record SettingResult(
    TracingSetting Setting,
    RedisBenchmarkResult? XaddDirect,
    RedisBenchmarkResult XaddThroughProxy,
    LoadSummary Saturation,
    IReadOnlyDictionary<string, long> SaturationCommands,
    LoadSummary Latency,
    TimeSpan AppHostStart,
    int ProcessesKilledAtStop)
{
    /// <summary>The XADD limit the ratios use: redis-server's own port when known (the limit of Redis), else through the proxy.</summary>
    public RedisBenchmarkResult Xadd => XaddDirect ?? XaddThroughProxy;

    public long CommandsTotal => SaturationCommands.Values.Sum();

    /// <summary>Every command Redis ran during the saturation run (clients', inside scripts, background) per order that reached a final state.</summary>
    public double CommandsPerOrder => Saturation.CompletedAll == 0 ? double.NaN : CommandsTotal / (double)Saturation.CompletedAll;

    /// <summary>Orders/s Redis could carry if it were the only limit: XADD ops/s ÷ commands per order.</summary>
    public double RedisCeiling => Xadd.OpsPerSecond / CommandsPerOrder;

    /// <summary>Sent at least 5 % more than completed: the run found the pipeline's limit rather than the offered rate.</summary>
    public bool Saturated => Saturation.CompletedPerSecond < 0.95 * Saturation.SentPerSecond;
}
