using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Head sampling: the decision is made once, where an order's trace starts, and travels in
/// traceparent's sampled flag, so every service keeps or drops the whole trace together.
/// <list type="bullet">
/// <item>Every service: parent-based (<see cref="QuietRootSampler"/>) around a trace-id ratio root.</item>
/// <item>The entry (<see cref="AddEntrySampling"/>: the gateway, and the built-in clients whose
/// <see cref="SubmitSpanName"/> roots an order's trace): ratio-out requests are recorded but not sampled
/// until the order is read; <see cref="Upgrade"/> samples them when a rule matches — before any child
/// span starts or the context is handed on.</item>
/// </list>
/// </summary>
public static class HeadSampling
{
    /// <summary>
    /// The root span of an order a built-in client submits (the order-flow generator, later the strategy):
    /// like a gateway request, it waits for the rules when the ratio leaves it out.
    /// </summary>
    public const string SubmitSpanName = "order.submit";

    /// <summary>The sampler of a service that only continues traces (and roots its own rarely).</summary>
    public static Sampler Sampler(SamplingOptions options) => new QuietRootSampler(RatioSampler(options.Ratio));

    /// <summary>The sampler of the service where order traces start.</summary>
    public static Sampler EntrySampler(SamplingOptions options) =>
        options.Ratio >= 1.0 ? Sampler(options) : new QuietRootSampler(new EntryRootSampler(RatioSampler(options.Ratio)));

    /// <summary>1 keeps today's always-on behaviour exactly; below it, a deterministic trace-id ratio.</summary>
    public static Sampler RatioSampler(double ratio) =>
        ratio >= 1.0 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio);

    /// <summary>
    /// Makes this service the entry of order traces: its request roots stay pending when the ratio
    /// leaves them out, and <see cref="SamplingRules"/> is registered for the code that reads the order.
    /// Call after <c>AddServiceDefaults</c> (the sampler set here replaces the default one).
    /// </summary>
    public static TBuilder AddEntrySampling<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var options = SamplingOptions.From(builder.Configuration);
        builder.Services.TryAddSingleton(new SamplingRules(options));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(EntrySampler(options)));
        return builder;
    }

    /// <summary>
    /// The sampler of a service whose roots named <paramref name="names"/> must always be sampled, whatever
    /// the ratio: few, long-lived background roots (a market-data connection session) that views link to.
    /// </summary>
    public static Sampler AlwaysSampledRootsSampler(SamplingOptions options, params string[] names) =>
        new QuietRootSampler(new AlwaysSampledRootSampler(names, RatioSampler(options.Ratio)));

    /// <summary>
    /// Makes roots named <paramref name="names"/> always sampled in this service (the head sampler drops other
    /// background roots below a ratio of 1). Call after <c>AddServiceDefaults</c>.
    /// </summary>
    public static TBuilder AddAlwaysSampledRoots<TBuilder>(this TBuilder builder, params string[] names) where TBuilder : IHostApplicationBuilder
    {
        var options = SamplingOptions.From(builder.Configuration);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(AlwaysSampledRootsSampler(options, names)));
        return builder;
    }

    /// <summary>
    /// Samples the trace of <paramref name="root"/> because <paramref name="rule"/> matched: tags the
    /// root with the rule and, when the ratio had left it out (recorded, not sampled), sets its Recorded
    /// flag. Must run before the root's first child starts and before its context is injected anywhere:
    /// children and injected traceparents read the flag when they are made. A root that is not recorded
    /// at all (a caller's unsampled trace) is left alone, so a trace is never kept in part.
    /// Returns whether the trace is sampled now.
    /// </summary>
    public static bool Upgrade(Activity? root, SamplingRule rule)
    {
        if (root is null || rule == SamplingRule.None || !root.IsAllDataRequested)
        {
            return root?.Recorded ?? false;
        }

        root.SetTag(TradingAttributes.SamplingRule, rule.TagValue());
        root.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        return true;
    }
}
