using System.Diagnostics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.OrderFlow;

/// <summary>
/// The generator's half of head sampling. A generated order's trace starts here, in an
/// <see cref="HeadSampling.SubmitSpanName"/> span, and not at the gateway. The gateway follows a
/// caller's decision. The always-sample rules (client, symbol, notional) therefore run here, before
/// the HTTP call carries the decision on in <c>traceparent</c>. Without this, a large order that the
/// ratio left out would stay unsampled through the whole pipeline.
/// </summary>
public sealed class OrderSubmission(ServiceTelemetry telemetry, SamplingRules rules)
{
    /// <summary>Starts the order's root span, sampled by the ratio or by a rule; null when nothing listens.</summary>
    public Activity? Start(GeneratedOrder order)
    {
        var activity = telemetry.Source.StartActivity(HeadSampling.SubmitSpanName, ActivityKind.Internal);
        if (activity is null || !activity.IsAllDataRequested)
        {
            return activity;
        }

        var clientId = order.Body.GetValueOrDefault("clientId") as string;
        var symbol = order.Body.GetValueOrDefault("symbol") as string;
        activity.SetTag(TradingAttributes.ClientId, clientId);
        activity.SetTag(TradingAttributes.Symbol, symbol);
        activity.SetTag(TradingAttributes.Side, order.Body.GetValueOrDefault("side") as string);
        activity.SetTag(TradingAttributes.OrderType, order.Body.GetValueOrDefault("type") as string);
        if (!activity.Recorded && rules.Any)
        {
            HeadSampling.Upgrade(activity, rules.Match(clientId, symbol, order.Notional));
        }

        return activity;
    }
}
