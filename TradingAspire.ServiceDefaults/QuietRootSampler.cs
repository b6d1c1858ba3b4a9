using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Parent-based sampling whose root decision drops infrastructure chatter: a Redis command issued
/// outside any trace (health-check PINGs, consumer housekeeping, market-data refreshes) would
/// otherwise become a root trace of its own every few seconds. Redis commands inside an order's
/// trace are kept. Later sampling strategies wrap <paramref name="rootSampler"/>.
/// </summary>
public sealed class QuietRootSampler(Sampler rootSampler) : Sampler
{
    private readonly Sampler parentBased = new ParentBasedSampler(rootSampler);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId == default && IsRedisCommand(samplingParameters))
        {
            return new SamplingResult(SamplingDecision.Drop);
        }

        return parentBased.ShouldSample(samplingParameters);
    }

    private static bool IsRedisCommand(in SamplingParameters parameters)
    {
        if (parameters.Tags is null)
        {
            return false;
        }

        foreach (var tag in parameters.Tags)
        {
            if (tag.Key is "db.system" or "db.system.name" && tag.Value is "redis")
            {
                return true;
            }
        }

        return false;
    }
}
