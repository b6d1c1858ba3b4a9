using System.Diagnostics;
using OpenTelemetry;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Copies the order's baggage (<c>trading.order_id</c>, <c>trading.client_id</c>) onto every span as
/// attributes when it starts, so filtering any backend by <c>trading.order_id</c> finds every span of
/// that order, Redis commands and HTTP calls included.
/// </summary>
public sealed class BaggageTagProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity activity)
    {
        foreach (var key in TradingAttributes.BaggageKeys)
        {
            var value = Baggage.GetBaggage(key);
            if (value is not null && activity.GetTagItem(key) is null)
            {
                activity.SetTag(key, value);
            }
        }
    }
}
