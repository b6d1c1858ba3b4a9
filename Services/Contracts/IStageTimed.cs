namespace TradingAspire.Contracts;

/// <summary>
/// A message that carries its order's per-stage timings. The stream consumer records in it how long
/// the entry waited in its stream (<c>queue.&lt;stream&gt;</c>) before handing it to the handler, so
/// handlers hold only their business logic.
/// </summary>
public interface IStageTimed<out TSelf>
{
    /// <summary>The same message with one more stage's duration (milliseconds) recorded.</summary>
    TSelf WithTiming(string stage, double milliseconds);
}
