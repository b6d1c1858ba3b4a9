using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// OTLP/gRPC trace ingest beside OTLP/HTTP: the standard <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>
/// on <see cref="IngestOptions.GrpcPort"/> (HTTP/2 cleartext), so an OpenTelemetry SDK or Collector exports with its
/// defaults. Same key, size limit, ingest step and counters as <c>POST /v1/traces</c>.
/// </summary>
public static class OtlpGrpcIngest
{
    public static WebApplicationBuilder AddOtlpGrpcIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc();
        // Grpc.AspNetCore's default is 4 MB; an export may be as large as an OTLP/HTTP body (after decompression).
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<IngestOptions>>((grpc, ingest) =>
            grpc.MaxReceiveMessageSize = (int)Math.Clamp(ingest.Value.MaxBodyBytes, 1, int.MaxValue));
        if (OtlpGrpcPort.Read(builder.Configuration) is { } port)
        {
            builder.ListenForOtlpGrpc(port);
        }

        return builder;
    }

    public static IEndpointConventionBuilder MapOtlpGrpcIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<OtlpGrpcTraceService>();
}
