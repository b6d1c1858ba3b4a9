namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost with tail sampling on in the trace store (<c>-- --TraceAnalytics:TailSampling:Enabled=true</c>),
/// keeping none of the ordinary traces (KeepShare 0): only errors, rejections, alerts, slow traces and the first
/// trace (warmup) reach the store; a trace is decided 3 s after it goes quiet (longer than the services' 1 s export batching).
/// </summary>
public sealed class TailSampledTradingAppFixture : TradingAppFixture
{
    protected override IEnumerable<string> Settings =>
    [
        "TraceAnalytics:TailSampling:Enabled=true",
        "TraceAnalytics:TailSampling:KeepShare=0",
        "TraceAnalytics:TailSampling:QuietSeconds=3",
        "TraceAnalytics:TailSampling:DecisionWaitSeconds=10",
        "TraceAnalytics:TailSampling:WarmupTraces=1",
    ];
}

/// <summary>Runs alone, after the parallel collections, like <see cref="SampledTradingAppCollection"/>: one extra AppHost at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TailSampledTradingAppCollection : ICollectionFixture<TailSampledTradingAppFixture>
{
    public const string Name = "Tail-sampled trading app";
}
