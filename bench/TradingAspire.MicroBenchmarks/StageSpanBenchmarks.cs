using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MicroBenchmarks;

/// <summary>
/// The risk stage's span as <c>RiskCheckHandler</c> makes it (<see cref="ServiceTelemetry.StartStage"/>, the trading
/// attributes, the stage-duration histogram on dispose), sampled, sampled out by head sampling (the span still
/// exists), and with tracing off (no listener: no span). An ActivityListener stands in for the SDK: its processors
/// and exporter come on top for a sampled span.
/// </summary>
[BenchmarkCategory("span")]
public class StageSpanBenchmarks
{
    private readonly ServiceTelemetry sampled = new("Bench.Sampled");
    private readonly ServiceTelemetry sampledOut = new("Bench.SampledOut");
    private readonly ServiceTelemetry off = new("Bench.Off");
    private readonly NewOrder order = SampleOrders.Market();
    private SamplingListener listener = null!;

    [GlobalSetup]
    public void Setup() => listener = new SamplingListener(new Dictionary<string, ActivitySamplingResult>
    {
        [sampled.Name] = ActivitySamplingResult.AllDataAndRecorded,
        [sampledOut.Name] = ActivitySamplingResult.PropagationData,
    });

    [GlobalCleanup]
    public void Cleanup() => listener.Dispose();

    [Benchmark(Description = "stage span + 7 trading attributes, sampled")]
    public double Sampled() => Stage(sampled);

    [Benchmark(Description = "stage span + 7 trading attributes, sampled out (1% head sampling, 99% of orders)")]
    public double SampledOut() => Stage(sampledOut);

    [Benchmark(Description = "stage span + 7 trading attributes, tracing off")]
    public double Off() => Stage(off);

    private double Stage(ServiceTelemetry telemetry)
    {
        using var stage = telemetry.StartStage(Stages.Risk);
        stage.SetTag(TradingAttributes.OrderId, order.OrderId)
            .SetTag(TradingAttributes.ClientId, order.ClientId)
            .SetTag(TradingAttributes.Symbol, order.Symbol)
            .SetTag(TradingAttributes.Side, "BUY")
            .SetTag(TradingAttributes.Quantity, (double)order.Quantity)
            .SetTag(TradingAttributes.RiskDecision, "approved")
            .SetTag(TradingAttributes.ReferencePrice, 100_000.0);
        return stage.ElapsedMilliseconds;
    }
}
