using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// What the forwarder sends, built from what ingest received without copying a span: a received export's own
/// resource/scope/span objects (only the spans the store accepted), or the kept spans' <see cref="ReceivedSpan"/>s
/// regrouped under their resource and scope. So resource, scope, attributes (typed), events, links, flags and
/// timestamps reach the backend as the exporter sent them.
/// </summary>
public static class ForwardRequests
{
    /// <summary>The export's spans the store accepted (all of it, shared, when it refused none); null when none.</summary>
    public static ForwardItem? FromExport(ExportTraceServiceRequest export, OtlpConversion conversion)
    {
        if (conversion.Spans.Count == 0)
        {
            return null;
        }

        if (conversion.RejectedSpans == 0)
        {
            return new ForwardItem(export.ResourceSpans.ToArray(), conversion.Spans.Count);
        }

        var resources = new List<ResourceSpans>();
        foreach (var resource in export.ResourceSpans)
        {
            ResourceSpans? kept = null;
            foreach (var scope in resource.ScopeSpans)
            {
                ScopeSpans? keptScope = null;
                foreach (var span in scope.Spans.Where(OtlpSpanConverter.HasValidIdentity))
                {
                    keptScope ??= NewScope(scope, kept ??= NewResource(resource, resources));
                    keptScope.Spans.Add(span);
                }
            }
        }

        return new ForwardItem(resources, conversion.Spans.Count);
    }

    /// <summary>
    /// The kept spans as received, grouped under their resource and scope (in arrival order); null when none. Spans
    /// without a <see cref="SpanRecord.Received"/> (none, when ingest was told to keep it) are left out and counted in
    /// <paramref name="missing"/>.
    /// </summary>
    public static ForwardItem? FromKept(IReadOnlyList<SpanRecord> kept, out int missing)
    {
        missing = 0;
        var resources = new List<ResourceSpans>();
        var resourceOf = new Dictionary<ResourceSpans, ResourceSpans>(ReferenceEqualityComparer.Instance);
        var scopeOf = new Dictionary<ScopeSpans, ScopeSpans>(ReferenceEqualityComparer.Instance);
        var spans = 0;
        foreach (var record in kept)
        {
            if (record.Received is not { } received)
            {
                missing++;
                continue;
            }

            if (!scopeOf.TryGetValue(received.Scope, out var scope))
            {
                if (!resourceOf.TryGetValue(received.Resource, out var resource))
                {
                    resource = NewResource(received.Resource, resources);
                    resourceOf[received.Resource] = resource;
                }

                scope = NewScope(received.Scope, resource);
                scopeOf[received.Scope] = scope;
            }

            scope.Spans.Add(received.Span);
            spans++;
        }

        return spans == 0 ? null : new ForwardItem(resources, spans);
    }

    /// <summary>One export request of the batch's items (their resource spans side by side, shared).</summary>
    public static ExportTraceServiceRequest ToExport(IEnumerable<ForwardItem> batch)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var item in batch)
        {
            request.ResourceSpans.Add(item.ResourceSpans);
        }

        return request;
    }

    private static ResourceSpans NewResource(ResourceSpans received, List<ResourceSpans> resources)
    {
        var resource = new ResourceSpans { Resource = received.Resource, SchemaUrl = received.SchemaUrl };
        resources.Add(resource);
        return resource;
    }

    private static ScopeSpans NewScope(ScopeSpans received, ResourceSpans resource)
    {
        var scope = new ScopeSpans { Scope = received.Scope, SchemaUrl = received.SchemaUrl };
        resource.ScopeSpans.Add(scope);
        return scope;
    }
}
