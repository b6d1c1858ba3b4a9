using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>One standalone Aspire dashboard (a real OTLP receiver we did not write), shared by a test class.</summary>
public sealed class AspireDashboardFixture : IAsyncLifetime
{
    public AspireDashboardReceiver Dashboard { get; private set; } = null!;

    public async Task InitializeAsync() => Dashboard = await AspireDashboardReceiver.StartAsync();

    public async Task DisposeAsync() => await Dashboard.DisposeAsync();
}

/// <summary>
/// The real trace store forwarding to the real Aspire dashboard's OTLP receiver over gRPC and HTTP/protobuf, read back
/// through the dashboard's telemetry API: the same trace ids, span ids, names, attributes, events, links and
/// nanosecond timestamps arrive; mode <c>kept</c> forwards only what tail sampling keeps; a wrong key is reported.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ForwardingToAspireDashboardTests(AspireDashboardFixture fixture) : IClassFixture<AspireDashboardFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private AspireDashboardReceiver Dashboard => fixture.Dashboard;

    private Dictionary<string, string?> ForwardTo(string protocol, string key = AspireDashboardReceiver.OtlpKey, string mode = "all") => new()
    {
        ["TraceAnalytics:Forward:Endpoint"] = (protocol == "grpc" ? Dashboard.GrpcEndpoint : Dashboard.HttpEndpoint).ToString(),
        ["TraceAnalytics:Forward:Protocol"] = protocol,
        ["TraceAnalytics:Forward:Headers"] = $"x-otlp-api-key={key}",
        ["TraceAnalytics:Forward:Mode"] = mode,
        ["TraceAnalytics:Forward:BatchDelayMilliseconds"] = "50",
    };

    private async Task<IReadOnlyList<DashboardSpan>> SpansInDashboardAsync(string traceId, int count) =>
        await Eventually.Get(async () =>
        {
            var spans = await Dashboard.GetTraceAsync(traceId);
            return spans.Count == count ? spans : null;
        }, Limit, $"{count} spans of trace {traceId} in the Aspire dashboard");

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Every_span_the_store_receives_reaches_the_dashboard_as_it_was_received(string protocol)
    {
        await using var server = await TraceAnalyticsServer.StartWithGrpcAsync(ForwardTo(protocol));
        var traceId = ForwardedExports.NewTraceId();
        var startNanos = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        var export = ForwardedExports.Rich(traceId, startNanos);

        using (var response = await server.ExportAsync(export)) // OTLP/HTTP into the store
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var sdkService = "forward-sdk-" + Guid.NewGuid().ToString("n")[..6];
        var sdkTraceId = SdkGrpcExport.OrderTrace(server.GrpcAddress!, TraceAnalyticsServer.IngestKey, sdkService); // OTLP/gRPC into the store

        var spans = await SpansInDashboardAsync(traceId, 2);
        var sent = export.ResourceSpans[0].ScopeSpans[0].Spans;
        var root = Assert.Single(spans, s => s.Name == "POST /orders");
        Assert.Equal(OtlpRequests.RootSpanIdHex, root.SpanId);
        Assert.Equal("orders-api", root.ServiceName);
        Assert.Equal("TradingAspire.Orders", root.ScopeName);
        Assert.Equal(2, root.Kind); // server
        // The dashboard keeps 100 ns ticks (exact nanoseconds are forwarded: ForwardRequestsTests).
        Assert.Equal(sent[0].StartTimeUnixNano / 100 * 100, root.StartNanos);
        Assert.Equal(sent[0].EndTimeUnixNano / 100 * 100, root.EndNanos);
        Assert.Equal("ord-42", root.Attributes["trading.order_id"]);
        Assert.Equal("201", root.Attributes["http.response.status_code"]);
        Assert.Equal("101.25", root.Attributes["trading.price"]);
        Assert.Equal(["order.accepted"], root.Events);
        Assert.Equal([ForwardedExports.LinkedSpanIdHex], root.LinkedSpanIds);
        var child = Assert.Single(spans, s => s.Name == "XADD orders");
        Assert.Equal(OtlpRequests.RootSpanIdHex, child.ParentSpanId);
        Assert.Equal(2, child.StatusCode); // error

        var sdkSpans = await SpansInDashboardAsync(sdkTraceId, 2);
        Assert.All(sdkSpans, s => Assert.Equal(sdkService, s.ServiceName));
        Assert.Equal("kraken", Assert.Single(sdkSpans, s => s.Name == "venue.match").Attributes["trading.venue"]);
        Assert.Equal("ord-grpc-1", Assert.Single(sdkSpans, s => s.Name == "order.route").Attributes["trading.order_id"]);

        var forward = await Eventually.Value(async () =>
        {
            var status = await server.ForwardStatusAsync();
            return status.Long("forwardedSpans") == 4 ? status : (JsonElement?)null;
        }, Limit, "4 spans counted as forwarded");
        Assert.Equal(ForwardStates.Ok, forward.GetProperty("state").GetString());
        Assert.Equal(protocol, forward.GetProperty("protocol").GetString());
        Assert.Equal(0, forward.Long("failedSpans") + forward.Long("droppedSpans"));
    }

    [Fact]
    public async Task Mode_kept_forwards_only_the_traces_tail_sampling_keeps()
    {
        var settings = ForwardTo("grpc", mode: "kept");
        settings["TraceAnalytics:TailSampling:Enabled"] = "true";
        settings["TraceAnalytics:TailSampling:KeepShare"] = "0"; // ordinary traces are dropped
        settings["TraceAnalytics:TailSampling:QuietSeconds"] = "0.3";
        settings["TraceAnalytics:TailSampling:WarmupTraces"] = "1";
        settings["TraceAnalytics:TailSampling:SlowPercentile"] = "100";
        await using var server = await TraceAnalyticsServer.StartAsync(settings);
        var service = "forward-kept-" + Guid.NewGuid().ToString("n")[..6];
        var (warmup, failed, ordinary) = (ForwardedExports.NewTraceId(), ForwardedExports.NewTraceId(), ForwardedExports.NewTraceId());

        // The first trace of a root span name is kept as warmup; after it, the same trace is judged on its merits.
        await ExportAsync(server, ForwardedExports.Trace(warmup, service, error: false));
        await SampledAsync(server, kept: 1, dropped: 0);
        await ExportAsync(server, ForwardedExports.Trace(failed, service, error: true));
        await ExportAsync(server, ForwardedExports.Trace(ordinary, service, error: false));
        await SampledAsync(server, kept: 2, dropped: 1);

        var kept = await SpansInDashboardAsync(failed, 2);
        Assert.Equal(2, Assert.Single(kept, s => s.Name == "forward.step").StatusCode);
        Assert.Equal(2, (await SpansInDashboardAsync(warmup, 2)).Count);
        var forward = await Eventually.Value(async () =>
        {
            var status = await server.ForwardStatusAsync();
            return status.Long("forwardedSpans") == 4 && status.Long("queuedSpans") == 0 ? status : (JsonElement?)null;
        }, Limit, "the two kept traces counted as forwarded and nothing waiting");
        Assert.Equal("kept", forward.GetProperty("mode").GetString());
        Assert.Empty(await Dashboard.GetTraceAsync(ordinary)); // every forwarded span is accounted for above: it never went
    }

    [Theory]
    [InlineData("grpc", "Unauthenticated")]
    [InlineData("http/protobuf", "401")]
    public async Task A_backend_refusing_the_key_is_reported_in_the_status_while_ingest_goes_on(string protocol, string errorType)
    {
        await using var server = await TraceAnalyticsServer.StartAsync(ForwardTo(protocol, key: "wrong-key"));
        var traceId = ForwardedExports.NewTraceId();

        await ExportAsync(server, ForwardedExports.Rich(traceId, (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100));

        var forward = await Eventually.Value(async () =>
        {
            var status = await server.ForwardStatusAsync();
            return status.Long("failedSpans") == 2 ? status : (JsonElement?)null;
        }, Limit, "the refused spans counted as failed");
        Assert.Equal(ForwardStates.Refused, forward.GetProperty("state").GetString());
        Assert.Equal(errorType, forward.GetProperty("lastError").GetProperty("type").GetString());
        Assert.Equal(0, forward.Long("forwardedSpans"));
        Assert.Equal(2, (await server.Store.GetTraceAsync(traceId)).Count); // the store kept them
        Assert.Empty(await Dashboard.GetTraceAsync(traceId));
    }

    private static async Task ExportAsync(TraceAnalyticsServer server, OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest export)
    {
        using var response = await server.ExportAsync(export);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task SampledAsync(TraceAnalyticsServer server, long kept, long dropped) =>
        Eventually.True(async () =>
        {
            var sampling = await server.Client.GetFromJsonAsync<JsonElement>("/api/sampling");
            return sampling.Long("keptTraces") == kept && sampling.Long("droppedTraces") == dropped;
        }, Limit, $"tail sampling to have kept {kept} and dropped {dropped} traces");
}
