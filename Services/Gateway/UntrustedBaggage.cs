using System.Diagnostics;
using OpenTelemetry;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>
/// Baggage from outside is not trusted: only the allow-listed <c>trading.*</c> keys survive, each
/// at most <see cref="MaxValueLength"/> characters, at most <see cref="MaxEntries"/> of them; the
/// rest is dropped and recorded as a <c>baggage.dropped</c> event on the request span. The gateway
/// sets <c>trading.order_id</c> and <c>trading.client_id</c> itself, so a client cannot forge them.
/// </summary>
public sealed class UntrustedBaggage(RequestDelegate next)
{
    public const int MaxEntries = 4;
    public const int MaxValueLength = 64;

    public Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        RecordInvalidTraceparent(context, activity);
        var incoming = Baggage.Current.GetBaggage();
        var activityBaggage = activity?.Baggage.ToList() ?? [];
        if (incoming.Count == 0 && activityBaggage.Count == 0)
        {
            return next(context);
        }

        var (kept, dropped) = Filter(incoming.Concat(activityBaggage.Where(b => b.Value is not null)!).DistinctBy(b => b.Key));
        Baggage.Current = Baggage.Create(kept);
        foreach (var item in activityBaggage)
        {
            activity!.SetBaggage(item.Key, null);
        }

        if (dropped.Count > 0)
        {
            activity?.AddEvent(new ActivityEvent("baggage.dropped", tags: new ActivityTagsCollection
            {
                ["trading.baggage.dropped_keys"] = string.Join(",", dropped.Select(k => k.Length <= 64 ? k : k[..64]).Take(16)),
                ["trading.baggage.dropped_count"] = dropped.Count,
            }));
        }

        return next(context);
    }

    /// <summary>A traceparent that could not be used started a new trace: say so on the request span.</summary>
    private static void RecordInvalidTraceparent(HttpContext context, Activity? activity)
    {
        if (activity is null || activity.HasRemoteParent || !context.Request.Headers.TryGetValue("traceparent", out var traceparent))
        {
            return;
        }

        var value = traceparent.ToString();
        activity.AddEvent(new ActivityEvent("trace_context.invalid", tags: new ActivityTagsCollection
        {
            ["traceparent"] = value.Length <= 128 ? value : value[..128],
        }));
    }

    /// <summary>Keeps allow-listed, size-limited entries; returns what was dropped by key.</summary>
    public static (Dictionary<string, string> Kept, List<string> Dropped) Filter(IEnumerable<KeyValuePair<string, string>> baggage)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var (key, value) in baggage)
        {
            if (TradingAttributes.ClientBaggageAllowList.Contains(key) && value.Length <= MaxValueLength && kept.Count < MaxEntries)
            {
                kept[key] = value;
            }
            else
            {
                dropped.Add(key);
            }
        }

        return (kept, dropped);
    }
}
