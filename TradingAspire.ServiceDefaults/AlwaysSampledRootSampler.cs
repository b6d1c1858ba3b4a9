using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// A root sampler that always samples roots with one of a few names (rare, long-lived background spans such as
/// a market-data connection session, which other views link to), and leaves every other root to
/// <paramref name="rootSampler"/> (the ratio). Children follow their parent as usual (wrap it in
/// <see cref="QuietRootSampler"/>).
/// </summary>
public sealed class AlwaysSampledRootSampler(IReadOnlyCollection<string> names, Sampler rootSampler) : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId == default && names.Contains(samplingParameters.Name))
        {
            return Sampled;
        }

        return rootSampler.ShouldSample(samplingParameters);
    }
}
