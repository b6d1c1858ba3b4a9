using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// A service's one ActivitySource and one Meter, both named <c>TradingAspire.&lt;Service&gt;</c>,
/// and its per-stage latency histogram <c>trading.stage.duration</c> (seconds, tag <c>trading.stage</c>).
/// </summary>
public sealed class ServiceTelemetry
{
    public ServiceTelemetry(string service)
    {
        Name = $"TradingAspire.{service}";
        Source = new ActivitySource(Name);
        Meter = new Meter(Name);
        StageDuration = Meter.CreateSecondsHistogram("trading.stage.duration", "Time spent in one stage of an order's journey.");
    }

    public string Name { get; }
    public ActivitySource Source { get; }
    public Meter Meter { get; }
    public Histogram<double> StageDuration { get; }

    /// <summary>Starts a stage span; disposing it records the stage duration (with error.type when it failed).</summary>
    public StageScope StartStage(string stage, ActivityKind kind = ActivityKind.Internal) =>
        new(this, stage, Source.StartActivity(stage, kind), Stopwatch.GetTimestamp());

    /// <summary>
    /// A stage whose work began at <paramref name="startedTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>),
    /// before its span could start — e.g. reading an order, which the trace's sampling decision waits for.
    /// The span and the stage duration both cover the work from that moment.
    /// </summary>
    public StageScope StartStageBegunAt(string stage, long startedTimestamp)
    {
        var startTime = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(startedTimestamp);
        return new(this, stage, Source.StartActivity(stage, ActivityKind.Internal, parentContext: default, startTime: startTime), startedTimestamp);
    }
}

/// <summary>A running stage: its span (if sampled) and a stopwatch feeding the stage histogram.</summary>
public sealed class StageScope(ServiceTelemetry telemetry, string stage, Activity? activity, long started) : IDisposable
{
    private bool disposed;

    public Activity? Activity { get; } = activity;
    public string? ErrorType { get; private set; }
    public double ElapsedMilliseconds => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>
    /// Whether the span records attributes. False when tracing is off and for a trace that head
    /// sampling left out: its span exists only to carry the context, so attributes would be built and
    /// dropped.
    /// </summary>
    public bool Recording => Activity is { IsAllDataRequested: true };

    public StageScope SetTag(string key, object? value)
    {
        if (Recording)
        {
            Activity!.SetTag(key, value);
        }

        return this;
    }

    /// <summary>A numeric attribute, boxed only when the span records it.</summary>
    public StageScope SetTag(string key, double value)
    {
        if (Recording)
        {
            Activity!.SetTag(key, value);
        }

        return this;
    }

    /// <summary>Marks the stage failed: span status Error, error.type, an event.</summary>
    public void Fail(string errorType, string description, Exception? exception = null)
    {
        ErrorType = errorType;
        Activity.RecordError(errorType, description, exception);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var tags = new TagList { { TradingAttributes.Stage, stage } };
        if (ErrorType is not null)
        {
            tags.Add(SemanticAttributes.ErrorType, ErrorType);
        }

        telemetry.StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        Activity?.Dispose();
    }
}

public static class ServiceTelemetryRegistration
{
    /// <summary>Creates the service's telemetry, registers it in DI and with OpenTelemetry.</summary>
    public static ServiceTelemetry AddServiceTelemetry(this IHostApplicationBuilder builder, string service)
    {
        var telemetry = new ServiceTelemetry(service);
        builder.Services.AddSingleton(telemetry);
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(telemetry.Name));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(telemetry.Name));
        return telemetry;
    }
}
