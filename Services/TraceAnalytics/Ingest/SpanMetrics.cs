using System.Diagnostics;
using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// RED metrics derived from the stored spans, on the service's meter <c>TradingAspire.TraceAnalytics</c>:
/// <c>traces.spans</c> (counter, {span}) and <c>traces.span.duration</c> (histogram, s, <see cref="LatencyBuckets.Seconds"/>),
/// both tagged <c>service.name</c>, <c>span.name</c> (pipeline stage names only, <c>other</c> for the rest, to bound
/// cardinality) and <c>status</c> (ok, error, unset). They see only the stored spans, i.e. the sampled
/// traces (<c>Tracing:Sampling</c>); order counts come from the services' own Meters.
/// </summary>
public sealed class SpanMetrics : ISpanBatchObserver
{
    public const string SpansInstrument = "traces.spans";
    public const string DurationInstrument = "traces.span.duration";
    public const string ServiceNameTag = "service.name";
    public const string SpanNameTag = "span.name";
    public const string StatusTag = "status";

    private readonly Counter<long> spans;
    private readonly Histogram<double> duration;

    public SpanMetrics(ServiceTelemetry telemetry)
    {
        spans = telemetry.Meter.CreateCounter<long>(SpansInstrument, "{span}", "Spans stored, by service, stage and status.");
        duration = telemetry.Meter.CreateSecondsHistogram(DurationInstrument, "Duration of the stored spans, by service, stage and status.");
    }

    public void OnStored(IReadOnlyList<SpanRecord> batch)
    {
        foreach (var span in batch)
        {
            var tags = new TagList
            {
                { ServiceNameTag, span.ServiceName.Length > 0 ? span.ServiceName : "unknown_service" },
                { SpanNameTag, PipelineStages.StageOrOther(span.SpanName) },
                { StatusTag, Status(span.StatusCode) },
            };
            spans.Add(1, tags);
            duration.Record(span.DurationNanos / 1e9, tags);
        }
    }

    private static string Status(string statusCode) => statusCode switch
    {
        SpanRecord.StatusCodes.Error => "error",
        SpanRecord.StatusCodes.Ok => "ok",
        _ => "unset",
    };
}
