using Microsoft.AspNetCore.Hosting;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>
/// What the gateway takes from a caller's W3C Trace Context and Baggage, decided when the request's
/// span starts — before authentication, routing or any handler can record anything:
/// <list type="bullet">
/// <item>A client does not steer tracing: every order starts a new trace at the gateway, sampled by
/// the gateway's own sampler. The client's <c>traceparent</c> (sampled flag included) never becomes a
/// parent; it is kept as a span link, so the client's trace and the order's are still connected.
/// Only our own services (holding the service key, e.g. the order-flow generator) continue their trace.</item>
/// <item>Baggage from outside is not trusted: only the allow-listed <c>trading.*</c> keys survive, each
/// at most <see cref="MaxValueLength"/> characters, at most <see cref="MaxEntries"/> of them; the rest
/// is dropped (a <c>baggage.dropped</c> event). The gateway sets <c>trading.order_id</c> and
/// <c>trading.client_id</c> itself, so a client cannot forge them, not even on a 401 or 400.</item>
/// </list>
/// </summary>
public static class InboundTraceContext
{
    public const int MaxEntries = 4;
    public const int MaxValueLength = 64;

    public const string TraceParent = "traceparent";

    /// <summary>Installs the policy: for ASP.NET Core's request span and for OpenTelemetry's re-extraction.</summary>
    public static WebApplicationBuilder AddInboundTraceContextPolicy(this WebApplicationBuilder builder)
    {
        var serviceKey = new ServiceAuthOptions { Key = builder.Configuration[$"{ServiceAuthOptions.Section}:Key"] };
        builder.Services.AddSingleton<DistributedContextPropagator>(new HostingPropagator(DistributedContextPropagator.CreateDefaultPropagator(), serviceKey));
        var current = Propagators.DefaultTextMapPropagator;
        var standard = current is RequestPropagator wrapped ? wrapped.Inner : current;
        Sdk.SetDefaultTextMapPropagator(new RequestPropagator(standard, serviceKey));
        builder.Services.AddSingleton<IStartupFilter>(new RecordingFilter(standard, serviceKey));
        return builder;
    }

    /// <summary>What a request brought: its parsed context, the baggage kept and dropped, whether its caller is ours.</summary>
    private sealed record Inbound(PropagationContext Sent, Dictionary<string, string> KeptBaggage, List<string> DroppedBaggage, bool Trusted, string? InvalidTraceparent);

    private static Inbound Inspect(TextMapPropagator standard, HttpRequest request, ServiceAuthOptions serviceKey)
    {
        var sent = standard.Extract(default, request, static (r, name) => r.Headers.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!) : null);
        var (kept, dropped) = Filter(sent.Baggage.GetBaggage());
        var traceparent = request.Headers[TraceParent].ToString();
        return new Inbound(sent, kept, dropped, serviceKey.Accepts(request.Headers[ServiceAuthOptions.Header].ToString()),
            traceparent.Length > 0 && sent.ActivityContext == default ? traceparent : null);
    }

    /// <summary>
    /// Says on the request's span what the policy did — the first thing in the pipeline, so it holds for
    /// 401s and 400s too: <c>baggage.dropped</c>, <c>trace_context.invalid</c>, and for an outside caller's
    /// valid context a link plus <c>trading.client.trace_id</c>.
    /// </summary>
    private sealed class RecordingFilter(TextMapPropagator standard, ServiceAuthOptions serviceKey) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                Record(Inspect(standard, context.Request, serviceKey), Activity.Current);
                return nextMiddleware(context);
            });
            next(app);
        };

        private static void Record(Inbound inbound, Activity? span)
        {
            if (span is null)
            {
                return;
            }

            if (inbound.DroppedBaggage.Count > 0)
            {
                span.AddEvent(new ActivityEvent("baggage.dropped", tags: new ActivityTagsCollection
                {
                    ["trading.baggage.dropped_keys"] = string.Join(",", inbound.DroppedBaggage.Select(k => k.Length <= 64 ? k : k[..64]).Take(16)),
                    ["trading.baggage.dropped_count"] = inbound.DroppedBaggage.Count,
                }));
            }

            if (inbound.InvalidTraceparent is { } invalid)
            {
                span.AddEvent(new ActivityEvent("trace_context.invalid", tags: new ActivityTagsCollection
                {
                    [TraceParent] = invalid.Length <= 128 ? invalid : invalid[..128],
                }));
            }

            if (!inbound.Trusted && inbound.Sent.ActivityContext != default)
            {
                // The order's trace starts here; the caller's span is a link, not a parent.
                span.AddLink(new ActivityLink(inbound.Sent.ActivityContext, new ActivityTagsCollection { [TradingAttributes.LinkReason] = "client_trace_context" }));
                span.SetTag(TradingAttributes.ClientTraceId, inbound.Sent.ActivityContext.TraceId.ToHexString());
            }
        }
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

    /// <summary>
    /// ASP.NET Core's propagator for the request span: the caller's trace id only from our own
    /// services; no baggage at all (OpenTelemetry's extraction below hands on the filtered baggage).
    /// </summary>
    private sealed class HostingPropagator(DistributedContextPropagator inner, ServiceAuthOptions serviceKey) : DistributedContextPropagator
    {
        public override IReadOnlyCollection<string> Fields => inner.Fields;

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) => inner.Inject(activity, carrier, setter);

        public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        {
            traceId = null;
            traceState = null;
            if (getter is null)
            {
                return;
            }

            getter(carrier, ServiceAuthOptions.Header, out var key, out _);
            if (serviceKey.Accepts(key))
            {
                inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
            }
        }

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
    }

    /// <summary>
    /// OpenTelemetry's propagator, which its ASP.NET Core instrumentation asks again for every request
    /// (and which would otherwise re-parent the request span on the caller's context): for an HTTP
    /// request it applies the policy (the caller's context only if it is ours, baggage filtered);
    /// everything else (injection into stream entries, extraction from them) goes to the standard propagator.
    /// </summary>
    private sealed class RequestPropagator(TextMapPropagator inner, ServiceAuthOptions serviceKey) : TextMapPropagator
    {
        public TextMapPropagator Inner => inner;

        public override ISet<string>? Fields => inner.Fields;

        public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter) => inner.Inject(context, carrier, setter);

        public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
        {
            if (carrier is not HttpRequest request)
            {
                return inner.Extract(context, carrier, getter);
            }

            var inbound = Inspect(inner, request, serviceKey);
            return new PropagationContext(inbound.Trusted ? inbound.Sent.ActivityContext : default, Baggage.Create(inbound.KeptBaggage));
        }
    }
}
