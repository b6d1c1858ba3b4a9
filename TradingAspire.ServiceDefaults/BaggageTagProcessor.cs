using System.Diagnostics;
using OpenTelemetry;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Copies the order's baggage (<c>trading.order_id</c>, <c>trading.client_id</c>) onto every span as
/// attributes, so filtering any backend by <c>trading.order_id</c> finds every span of that order,
/// Redis commands and HTTP calls included. Done at start, and again at end for spans (like an
/// incoming HTTP request) whose baggage is only extracted after they started. Registered before
/// the exporters, so the attributes are exported.
/// A Redis command span that the StackExchange.Redis instrumentation creates afterwards, from its profiling session, on
/// whatever thread drains it (no in-process parent: its parent is given as a context) is left alone: the baggage around
/// it then belongs to some other flow, and copying it tagged one order's commands with another order's id.
/// </summary>
public sealed class BaggageTagProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity activity) => CopyBaggage(activity);

    public override void OnEnd(Activity activity) => CopyBaggage(activity);

    private const string RedisInstrumentation = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    private static void CopyBaggage(Activity activity)
    {
        if (activity.Parent is null && activity.ParentSpanId != default && activity.Source.Name.StartsWith(RedisInstrumentation, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var key in TradingAttributes.BaggageKeys)
        {
            if (activity.GetTagItem(key) is not null)
            {
                continue;
            }

            var value = Baggage.GetBaggage(key);
            if (value is not null)
            {
                activity.SetTag(key, value);
            }
        }
    }
}
