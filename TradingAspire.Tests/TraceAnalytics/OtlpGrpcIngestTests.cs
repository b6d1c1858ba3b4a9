using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.TraceAnalytics.Access;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// OTLP/gRPC ingest on the real service's own port (HTTP/2 cleartext on loopback): the OpenTelemetry .NET SDK's
/// gRPC exporter with its defaults, and a raw gRPC client for keys, hostile bytes and partial success.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OtlpGrpcIngestTests(TraceAnalyticsGrpcServerFixture fixture) : IClassFixture<TraceAnalyticsGrpcServerFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private TraceAnalyticsServer Server => fixture.Server;

    private static string NewTraceId() => Guid.NewGuid().ToString("n");

    [Fact]
    public async Task Spans_exported_by_the_OpenTelemetry_sdk_over_grpc_are_stored_and_counted_like_http_ones()
    {
        var accepted = Server.Services.GetRequiredService<IngestMonitor>().Snapshot(0).AcceptedSpans;
        var service = "grpc-sdk-" + Guid.NewGuid().ToString("N")[..6];

        var traceId = SdkGrpcExport.OrderTrace(Server.GrpcAddress!, TraceAnalyticsServer.IngestKey, service);

        var spans = await Eventually.Get(async () =>
        {
            var stored = await Server.Store.GetTraceAsync(traceId);
            return stored.Count == 2 ? stored : null;
        }, Limit, "the SDK's spans in the store");
        Assert.All(spans, span => Assert.Equal(service, span.ServiceName));
        var route = Assert.Single(spans, span => span.SpanName == "order.route");
        var match = Assert.Single(spans, span => span.SpanName == "venue.match");
        Assert.Equal("ord-grpc-1", route.SpanAttributes["trading.order_id"]);
        Assert.Equal("kraken", match.SpanAttributes["trading.venue"]);
        Assert.Equal(route.SpanId, match.ParentSpanId);
        Assert.True(Server.Services.GetRequiredService<IngestMonitor>().Snapshot(0).AcceptedSpans >= accepted + 2);
    }

    [Fact]
    public async Task An_sdk_exporting_with_a_wrong_key_stores_nothing()
    {
        var traceId = SdkGrpcExport.OrderTrace(Server.GrpcAddress!, "not-the-ingest-key", "grpc-wrong-key");

        // The simple processor exported as the spans ended, and the refusal is final (not retried).
        Assert.Empty(await Server.Store.GetTraceAsync(traceId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-ingest-key-9b1d4f")]
    [InlineData(TraceAnalyticsServer.OperatorKey)]
    public async Task An_export_without_the_stores_api_key_is_unauthenticated_and_nothing_is_stored(string? key)
    {
        using var client = new OtlpGrpcClient(Server.GrpcAddress!);
        var traceId = NewTraceId();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpRequests.OrderRequest().WithTraceId(traceId), key));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains(IngestOptions.ApiKeyHeader, error.Status.Detail);
        Assert.Empty(await Server.Store.GetTraceAsync(traceId));
    }

    [Fact]
    public async Task A_store_without_an_ingest_key_configured_refuses_every_grpc_export()
    {
        await using var server = await TraceAnalyticsServer.StartWithGrpcAsync(new Dictionary<string, string?> { ["TraceAnalytics:Ingest:ApiKey"] = null });
        using var client = new OtlpGrpcClient(server.GrpcAddress!);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpRequests.OrderRequest(), TraceAnalyticsServer.IngestKey));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("no ingest key configured", error.Status.Detail);
    }

    public static TheoryData<string, byte[]> HostileMessages()
    {
        var valid = OtlpRequests.OrderRequest().ToByteArray();
        return new TheoryData<string, byte[]>
        {
            { "garbage", [0xff, 0xff, 0xff, 0xff, 0xff] },
            { "truncated", valid[..(valid.Length / 2)] },
            { "length beyond the message", [0x0a, 0xff, 0xff, 0xff, 0x7f, 0x01] },
            { "end-group tag with no group", [0x0c] },
        };
    }

    [Theory]
    [MemberData(nameof(HostileMessages))]
    public async Task A_message_that_is_not_an_export_request_is_invalid_argument_and_nothing_is_stored(string what, byte[] message)
    {
        using var client = new OtlpGrpcClient(Server.GrpcAddress!);
        var before = Server.Services.GetRequiredService<IngestMonitor>().Snapshot(0).AcceptedSpans;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportRawAsync(message));

        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{what}: {error.Status}");
        Assert.Contains("malformed protobuf", error.Status.Detail);
        Assert.Equal(before, Server.Services.GetRequiredService<IngestMonitor>().Snapshot(0).AcceptedSpans);
    }

    [Fact]
    public async Task Spans_without_a_valid_identity_are_a_partial_success_and_the_others_are_stored()
    {
        using var client = new OtlpGrpcClient(Server.GrpcAddress!);
        var traceId = NewTraceId();
        var request = OtlpRequests.Request("grpc-partial",
            OtlpRequests.Span(traceId, OtlpRequests.RootSpanIdHex, "good"),
            OtlpRequests.Span("0102030405060708", OtlpRequests.ChildSpanIdHex, "short trace id"),
            OtlpRequests.Span(traceId, "0000000000000000", "zero span id"));

        var response = await client.ExportAsync(request);

        Assert.Equal(2, response.PartialSuccess.RejectedSpans);
        Assert.Contains("trace id must be 16 bytes, got 8", response.PartialSuccess.ErrorMessage);
        Assert.Contains("span id is all zeroes", response.PartialSuccess.ErrorMessage);
        Assert.Equal("good", Assert.Single(await Server.Store.GetTraceAsync(traceId)).SpanName);
    }

    [Fact]
    public async Task An_empty_export_is_a_full_success()
    {
        using var client = new OtlpGrpcClient(Server.GrpcAddress!);

        var response = await client.ExportAsync(new OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest());

        Assert.Null(response.PartialSuccess);
    }

    [Fact]
    public async Task The_grpc_port_serves_only_the_trace_service_and_the_http_port_still_speaks_http_1_1()
    {
        using var http2 = Server.NewClient((OperatorAccess.KeyHeader, TraceAnalyticsServer.OperatorKey));
        using var onGrpcPort = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.GrpcAddress!, "/api/ingest/status"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var refused = await http2.SendAsync(onGrpcPort);
        using var status = await Server.Client.GetAsync("/api/ingest/status");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpVersion.Version11, status.Version);
    }
}
