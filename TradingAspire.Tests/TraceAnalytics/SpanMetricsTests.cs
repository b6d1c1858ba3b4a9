using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class SpanMetricsTests
{
    private sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags);

    [Fact]
    public void Stored_spans_are_counted_and_timed_by_service_stage_and_status_with_other_for_non_stages()
    {
        var telemetry = new ServiceTelemetry($"TraceAnalytics.Test{Guid.NewGuid():n}");
        var measurements = new List<Measurement>();
        var units = new Dictionary<string, string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == telemetry.Meter)
            {
                units[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add(new(i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add(new(i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        var metrics = new SpanMetrics(telemetry);

        var spans = SampleTraces.Order(0, DateTime.UtcNow, venueMatchMs: 25, riskError: true);
        metrics.OnStored(spans);

        Assert.Equal(spans.Count, measurements.Count(m => m.Instrument == "traces.spans"));
        Assert.Equal(spans.Count, measurements.Count(m => m.Instrument == "traces.span.duration"));
        var match = measurements.Single(m => m.Instrument == "traces.span.duration" && (string?)m.Tags["span.name"] == "venue.match");
        Assert.Equal(0.025, match.Value, 9);
        Assert.Equal("exchanges", match.Tags["service.name"]);
        Assert.Equal("unset", match.Tags["status"]);
        Assert.Equal("error", measurements.First(m => (string?)m.Tags["span.name"] == "risk.check").Tags["status"]);
        Assert.Equal(3, measurements.Count(m => m.Instrument == "traces.spans" && (string?)m.Tags["span.name"] == "other"));
        Assert.Equal("{span}", units["traces.spans"]);
        Assert.Equal("s", units["traces.span.duration"]);
    }

    [Fact]
    public async Task The_writer_tells_its_observers_about_each_stored_batch()
    {
        using var directory = new TempDirectory();
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var queue = new IngestQueue(16);
        var observer = new RecordingObserver();
        var writer = new TraceBatchWriter(queue, store, new IngestMonitor(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions { FlushIntervalMilliseconds = 20 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TraceBatchWriter>.Instance, [observer]);
        await writer.StartAsync(CancellationToken.None);

        Assert.True(queue.TryEnqueue(new IngestBatch(SampleTraces.Order(0, DateTime.UtcNow))));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(17, observer.Spans);
    }

    private sealed class RecordingObserver : ISpanBatchObserver
    {
        public int Spans { get; private set; }

        public void OnStored(IReadOnlyList<SpanRecord> spans) => Spans += spans.Count;
    }
}
