using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Parent-based sampling whose root decision drops infrastructure chatter: a Redis command issued
/// outside any trace (health-check PINGs, background housekeeping) would otherwise become a root
/// trace of its own every few seconds. Commands inside an order's trace are kept.
/// Later sampling strategies wrap <paramref name="rootSampler"/>.
/// </summary>
public sealed class QuietRootSampler(Sampler rootSampler) : Sampler
{
    private const string RedisInstrumentationPrefix = "OpenTelemetry.Instrumentation.StackExchangeRedis";
    private readonly Sampler parentBased = new ParentBasedSampler(rootSampler);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var isRoot = samplingParameters.ParentContext.TraceId == default;
        if (isRoot && samplingParameters.Name.StartsWith(RedisInstrumentationPrefix, StringComparison.Ordinal))
        {
            return new SamplingResult(SamplingDecision.Drop);
        }

        return parentBased.ShouldSample(samplingParameters);
    }
}
