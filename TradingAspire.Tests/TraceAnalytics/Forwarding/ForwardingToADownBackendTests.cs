using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>
/// The real trace store (in-process Kestrel, DuckDB) forwarding over OTLP/gRPC to a loopback port nothing listens on:
/// every export is still answered 200 and stored at ingest's own pace, and what the backend could not take is dropped,
/// oldest first, and counted in the status and in <c>trading.traces.forward.dropped</c>.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ForwardingToADownBackendTests
{
    private const int Exports = 30; // 2 spans each
    private const int MaxQueue = 10;

    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again once disposed
    }

    [Fact]
    public async Task A_down_backend_neither_blocks_nor_fails_ingest_and_the_spans_it_could_not_take_are_dropped_and_counted()
    {
        await using var server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?>
        {
            ["TraceAnalytics:Forward:Endpoint"] = $"http://127.0.0.1:{ClosedLoopbackPort()}",
            ["TraceAnalytics:Forward:Protocol"] = "grpc",
            ["TraceAnalytics:Forward:MaxQueue"] = MaxQueue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TraceAnalytics:Forward:MaxRetries"] = "1000", // keeps retrying the first batch throughout
            ["TraceAnalytics:Forward:RetryBaseDelayMilliseconds"] = "50",
            ["TraceAnalytics:Forward:RetryMaxDelaySeconds"] = "0.2",
            ["TraceAnalytics:Forward:DrainSeconds"] = "0",
            ["TraceAnalytics:Forward:BatchDelayMilliseconds"] = "0", // the first export goes out (and hangs) at once
        });
        var meter = server.Services.GetRequiredService<ServiceTelemetry>().Meter;
        long droppedMetric = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == ForwardMetrics.DroppedInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref droppedMetric, value));
        listener.Start();

        var ingest = Stopwatch.StartNew();
        for (var i = 0; i < Exports; i++)
        {
            using var response = await server.ExportAsync(ForwardedExports.Rich(ForwardedExports.NewTraceId()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Blocked on the backend, ingest would wait out connection retries for ever; stored, it takes an append per export.
        Assert.True(ingest.Elapsed < TimeSpan.FromSeconds(20), $"{Exports} exports took {ingest.Elapsed}");
        var status = await server.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/ingest/status");
        Assert.Equal(2 * Exports, status.Long("storedSpans"));

        var forward = status.GetProperty("forward");
        Assert.True(forward.GetProperty("enabled").GetBoolean());
        Assert.Equal("grpc", forward.GetProperty("protocol").GetString());
        Assert.Equal(0, forward.Long("forwardedSpans"));
        Assert.Equal(MaxQueue, forward.Long("queuedSpans"));
        // One batch (at most a full queue) is in flight, being retried; everything older than the queue was dropped.
        Assert.InRange(forward.Long("droppedSpans"), 2 * Exports - 2 * MaxQueue, 2 * Exports - MaxQueue - 2);
        Assert.Equal(ForwardStates.Retrying, forward.GetProperty("state").GetString());
        Assert.Equal("Unavailable", forward.GetProperty("lastError").GetProperty("type").GetString());
        listener.RecordObservableInstruments();
        Assert.Equal(forward.Long("droppedSpans"), Interlocked.Read(ref droppedMetric));
    }
}
