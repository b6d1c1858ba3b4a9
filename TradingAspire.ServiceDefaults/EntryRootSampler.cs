using System.Diagnostics;
using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// The root decision where an order's trace starts (the gateway): <paramref name="ratioSampler"/>
/// samples a share of traces; a request it leaves out is still recorded, not sampled
/// (<see cref="SamplingDecision.RecordOnly"/>: the span exists, its Recorded flag is off, exporters
/// skip it), because the rules that may keep it need the order's body, which is read only after the
/// request's span has started. <see cref="HeadSampling.Upgrade"/> then sets the flag. A built-in
/// client's <see cref="HeadSampling.SubmitSpanName"/> root waits the same way. Any other
/// root the ratio leaves out (background work) is dropped.
/// </summary>
public sealed class EntryRootSampler(Sampler ratioSampler) : Sampler
{
    /// <summary>The operation name of ASP.NET Core's request activity.</summary>
    public const string RequestActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly SamplingResult Pending = new(SamplingDecision.RecordOnly);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var decision = ratioSampler.ShouldSample(samplingParameters);
        if (decision.Decision == SamplingDecision.RecordAndSample)
        {
            return decision;
        }

        return samplingParameters.Kind == ActivityKind.Server
            || samplingParameters.Name is RequestActivityName or HeadSampling.SubmitSpanName ? Pending : Dropped;
    }
}
