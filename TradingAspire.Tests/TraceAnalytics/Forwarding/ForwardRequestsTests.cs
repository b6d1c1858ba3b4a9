using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>What is forwarded is what was received: byte for byte for a whole export, regrouped but unchanged for kept spans.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ForwardRequestsTests
{
    /// <summary>Two services, typed attributes, scope attributes, a link and odd nanoseconds: what the store's rows do not keep.</summary>
    private static ExportTraceServiceRequest RichExport()
    {
        var export = ForwardedExports.Rich();
        var risk = OtlpRequests.Request("risk", OtlpRequests.Span(OtlpRequests.TraceIdHex, "aaaaaaaaaaaaaaa1", "risk.check", OtlpRequests.RootSpanIdHex,
            attributes: OtlpRequests.Attribute("trading.quantity", 5)));
        export.ResourceSpans.Add(risk.ResourceSpans);
        return export;
    }

    private static IEnumerable<(Resource Resource, InstrumentationScope Scope, Span Span)> Flatten(ExportTraceServiceRequest request) =>
        request.ResourceSpans.SelectMany(r => r.ScopeSpans.SelectMany(s => s.Spans.Select(span => (r.Resource, s.Scope, span))));

    [Fact]
    public void A_whole_export_is_forwarded_byte_for_byte_as_received()
    {
        var export = RichExport();
        var conversion = OtlpSpanConverter.Convert(export);

        var item = ForwardRequests.FromExport(export, conversion)!;

        Assert.Equal(3, item.Spans);
        Assert.Equal(export.ToByteArray(), ForwardRequests.ToExport([item]).ToByteArray());
    }

    [Fact]
    public void Spans_the_store_refused_are_left_out_and_the_rest_keep_their_resource_and_scope()
    {
        var export = RichExport();
        export.ResourceSpans[0].ScopeSpans[0].Spans.Add(new Span { Name = "no identity", TraceId = ByteString.CopyFrom(new byte[3]) });
        export.ResourceSpans[1].ScopeSpans[0].Spans[0].SpanId = ByteString.Empty; // the risk service's only span
        var conversion = OtlpSpanConverter.Convert(export);

        var forwarded = ForwardRequests.ToExport([ForwardRequests.FromExport(export, conversion)!]);

        var spans = Flatten(forwarded).ToList();
        Assert.Equal(["POST /orders", "XADD orders"], spans.Select(s => s.Span.Name));
        Assert.Single(forwarded.ResourceSpans); // nothing left of the risk service
        Assert.Equal(export.ResourceSpans[0].Resource, forwarded.ResourceSpans[0].Resource);
        Assert.Equal(export.ResourceSpans[0].SchemaUrl, forwarded.ResourceSpans[0].SchemaUrl);
        Assert.Equal(export.ResourceSpans[0].ScopeSpans[0].Scope, forwarded.ResourceSpans[0].ScopeSpans[0].Scope);
        Assert.All(spans, s => Assert.Same(Flatten(export).Single(e => e.Span.Name == s.Span.Name).Span, s.Span));
    }

    [Fact]
    public void Kept_spans_are_regrouped_under_their_own_resource_and_scope_unchanged()
    {
        var export = RichExport();
        var conversion = OtlpSpanConverter.Convert(export, keepReceived: true);
        var kept = conversion.Spans.Where(s => s.SpanName != "XADD orders").Reverse().ToList(); // any order, one left out

        var item = ForwardRequests.FromKept(kept, out var missing)!;
        var forwarded = ForwardRequests.ToExport([item]);

        Assert.Equal(0, missing);
        Assert.Equal(2, item.Spans);
        Assert.Equal(2, forwarded.ResourceSpans.Count);
        var received = Flatten(export).ToDictionary(s => s.Span.Name);
        foreach (var (resource, scope, span) in Flatten(forwarded))
        {
            Assert.Equal(received[span.Name].Span, span); // typed attributes, flags, link, exact nanoseconds
            Assert.Equal(received[span.Name].Resource, resource);
            Assert.Equal(received[span.Name].Scope, scope);
        }

        var root = Flatten(forwarded).Single(s => s.Span.Name == "POST /orders").Span;
        Assert.Equal(OtlpRequests.StartNanos + 13, root.StartTimeUnixNano);
        Assert.Equal(101.25, root.Attributes.Single(a => a.Key == "trading.price").Value.DoubleValue);
    }

    [Fact]
    public void Kept_spans_without_their_received_form_are_counted_not_sent()
    {
        var conversion = OtlpSpanConverter.Convert(RichExport()); // keepReceived off

        Assert.Null(ForwardRequests.FromKept(conversion.Spans, out var missing));
        Assert.Equal(3, missing);
    }
}
