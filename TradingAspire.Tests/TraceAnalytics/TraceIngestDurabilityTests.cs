using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// An export is answered 200 only once its spans are stored; when the store cannot append, exports get a
/// retryable 503, /health turns Unhealthy and the loss is counted (metrics and /api/ingest/status). The store
/// is broken for real: its table is dropped from a second connection (and put back to recover).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceIngestDurabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private sealed record Export(HttpStatusCode Status, string? RetryAfter, string Reason);

    private static async Task<Export> ExportAsync(TraceAnalyticsServer server, string traceId)
    {
        using var response = await server.ExportAsync(OtlpRequests.OrderRequest().WithTraceId(traceId));
        var body = await response.Content.ReadAsByteArrayAsync();
        var reason = response.IsSuccessStatusCode ? "" : Google.Rpc.Status.Parser.ParseFrom(body).Message;
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal(14, Google.Rpc.Status.Parser.ParseFrom(body).Code); // UNAVAILABLE: the exporter retries
        }

        return new Export(response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(), reason);
    }

    private static string NewTraceId() => Guid.NewGuid().ToString("n");

    private static Task BreakStoreAsync(TraceAnalyticsServer server) => server.BreakStoreAsync();

    private static Task RepairStoreAsync(TraceAnalyticsServer server) => server.RepairStoreAsync();

    private static Task<JsonElement> StatusAsync(TraceAnalyticsServer server) =>
        server.Client.GetFromJsonAsync<JsonElement>("/api/ingest/status");

    [Fact]
    public async Task Concurrent_exports_are_answered_200_only_once_their_spans_are_stored()
    {
        await using var server = await TraceAnalyticsServer.StartAsync();
        var traceIds = Enumerable.Range(0, 8).Select(_ => NewTraceId()).ToArray();

        var answers = await Task.WhenAll(traceIds.Select(async traceId =>
        {
            var export = await ExportAsync(server, traceId);
            // Read straight after the answer: no polling, the spans must already be there.
            return (export.Status, Stored: (await server.Store.GetTraceAsync(traceId)).Count);
        }));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.OK, 2), answer));
        var status = await StatusAsync(server);
        Assert.True(status.GetProperty("healthy").GetBoolean());
        Assert.Equal(16, status.GetProperty("acceptedSpans").GetInt64());
        Assert.Equal(16, status.GetProperty("storedSpans").GetInt64());
        Assert.Equal(0, status.GetProperty("droppedSpans").GetInt64());
        Assert.Equal(0, status.GetProperty("refusedSpans").GetInt64());
    }

    [Fact]
    public async Task When_the_store_cannot_append_exports_get_a_retryable_503_health_fails_and_the_loss_is_counted_until_it_writes_again()
    {
        await using var server = await TraceAnalyticsServer.StartAsync();
        using var metrics = new IngestMetrics(server.Services.GetRequiredService<ServiceTelemetry>().Meter);
        Assert.Equal(HttpStatusCode.OK, (await ExportAsync(server, NewTraceId())).Status);
        await BreakStoreAsync(server);

        // The export that meets the broken store waits for its append, which fails: 503, retry later.
        var lostTrace = NewTraceId();
        var failed = await ExportAsync(server, lostTrace);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Equal("1", failed.RetryAfter);
        Assert.Contains("could not append", failed.Reason);

        using (var health = await server.Anonymous.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/alive")).StatusCode);

        // While the store is failing, exports are refused at once, without queueing.
        var refused = await ExportAsync(server, NewTraceId());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Contains("cannot write", refused.Reason);

        var status = await StatusAsync(server);
        Assert.False(status.GetProperty("healthy").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("failingSince").ValueKind);
        var lastError = status.GetProperty("lastError");
        Assert.Contains("otel_traces", lastError.GetProperty("message").GetString());
        var errorType = lastError.GetProperty("type").GetString()!;
        Assert.Equal(2, status.GetProperty("droppedSpans").GetInt64());
        Assert.Equal(2, status.GetProperty("dropped").GetProperty(errorType).GetInt64());
        Assert.True(status.GetProperty("refused").GetProperty(IngestMonitor.Reasons.StoreFailing).GetInt64() >= 2);
        Assert.Equal(2, status.GetProperty("acceptedSpans").GetInt64());

        Assert.Equal(2, metrics.Sum(IngestMonitor.DroppedInstrument, errorType));
        Assert.True(metrics.Sum(IngestMonitor.RefusedInstrument, IngestMonitor.Reasons.StoreFailing) >= 2);
        Assert.Equal("{span}", metrics.Unit(IngestMonitor.DroppedInstrument));
        Assert.Equal("{span}", metrics.Unit(IngestMonitor.RefusedInstrument));

        // Once the table is back, a trial export (one per Retry-After interval) finds the store writing again.
        await RepairStoreAsync(server);
        var recovered = NewTraceId();
        await Eventually.True(async () => (await ExportAsync(server, recovered)).Status == HttpStatusCode.OK, Limit, "an export to be stored again");

        Assert.Equal(2, (await server.Store.GetTraceAsync(recovered)).Count);
        Assert.Empty(await server.Store.GetTraceAsync(lostTrace));
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/health")).StatusCode);
        var after = await StatusAsync(server);
        Assert.True(after.GetProperty("healthy").GetBoolean());
        Assert.Equal(errorType, after.GetProperty("lastError").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_export_not_stored_within_the_append_timeout_gets_a_retryable_503()
    {
        await using var server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?> { ["TraceAnalytics:Ingest:AppendTimeoutSeconds"] = "0.2" });
        await BreakStoreAsync(server);

        // The writer retries the append for 0.6 s; the export stops waiting after 0.2 s.
        var export = await ExportAsync(server, NewTraceId());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, export.Status);
        Assert.Equal("1", export.RetryAfter);
        Assert.Contains("not stored within 0.2 s", export.Reason);
        Assert.Equal(2, (await StatusAsync(server)).GetProperty("refused").GetProperty(IngestMonitor.Reasons.Timeout).GetInt64());
        await Eventually.True(async () => (await StatusAsync(server)).GetProperty("droppedSpans").GetInt64() == 2, Limit,
            "the writer to give up on the append and count the spans dropped");
    }

    /// <summary>Sums of the ingest counters of one service instance's meter, by error.type.</summary>
    private sealed class IngestMetrics : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<(string Instrument, string ErrorType), long> sums = new();
        private readonly ConcurrentDictionary<string, string?> units = new();

        public IngestMetrics(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name.StartsWith("traces.ingest.", StringComparison.Ordinal))
                {
                    units[instrument.Name] = instrument.Unit;
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var errorType = "";
                foreach (var tag in tags)
                {
                    if (tag.Key == SemanticAttributes.ErrorType)
                    {
                        errorType = tag.Value?.ToString() ?? "";
                    }
                }

                sums.AddOrUpdate((instrument.Name, errorType), value, (_, sum) => sum + value);
            });
            listener.Start();
        }

        public long Sum(string instrument, string errorType) => sums.GetValueOrDefault((instrument, errorType));

        public string? Unit(string instrument) => units.GetValueOrDefault(instrument);

        public void Dispose() => listener.Dispose();
    }
}
