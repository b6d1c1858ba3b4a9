using System.Diagnostics;

namespace TradingAspire.MicroBenchmarks;

/// <summary>
/// Stands in for the OpenTelemetry SDK's sampler: listens to the named sources and answers each with a fixed decision
/// (AllDataAndRecorded = sampled, PropagationData = sampled out by head sampling: the span exists, nothing is kept).
/// A source it does not name gets no span at all, as with tracing off. Disposing stops listening.
/// </summary>
public sealed class SamplingListener : IDisposable
{
    private readonly ActivityListener listener;

    public SamplingListener(IReadOnlyDictionary<string, ActivitySamplingResult> decisions)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => decisions.ContainsKey(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                decisions.TryGetValue(options.Source.Name, out var decision) ? decision : ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();
}
