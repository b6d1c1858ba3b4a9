using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace TradingAspire.Messaging;

/// <summary>
/// Moves W3C Trace Context and Baggage in and out of stream entry fields with
/// <see cref="Propagators.DefaultTextMapPropagator"/> (TraceContext + Baggage once the SDK is set up).
/// </summary>
public static class TraceContextCarrier
{
    /// <summary>Writes traceparent/tracestate/baggage for <paramref name="context"/> and the current baggage.</summary>
    public static void Inject(ActivityContext context, Baggage baggage, IDictionary<string, string> fields)
    {
        if (context == default)
        {
            return;
        }

        Propagators.DefaultTextMapPropagator.Inject(
            new PropagationContext(context, baggage),
            fields,
            static (carrier, key, value) => carrier[key] = value);
    }

    /// <summary>Reads the producer's context; an absent or malformed traceparent yields an invalid context.</summary>
    public static PropagationContext Extract(IReadOnlyDictionary<string, string> fields) =>
        Propagators.DefaultTextMapPropagator.Extract(
            default,
            fields,
            static (carrier, key) => carrier.TryGetValue(key, out var value) ? [value] : []);

    /// <summary>The context to hand on: the producer span when recorded, else whatever is current.</summary>
    public static ActivityContext ContextToPropagate(Activity? producerSpan) =>
        producerSpan?.Context ?? Activity.Current?.Context ?? default;
}
