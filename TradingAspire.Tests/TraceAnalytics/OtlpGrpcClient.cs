using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Ingest;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// A raw gRPC client of the store's OTLP/gRPC port (Grpc.Net.Client, HTTP/2 cleartext): typed exports, or any
/// bytes at all as the request message, with or without the ingest key.
/// </summary>
internal sealed class OtlpGrpcClient : IDisposable
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>The Export method with the request left as it is on the wire.</summary>
    private static readonly Method<byte[], byte[]> RawExport = new(
        MethodType.Unary, OtlpGrpcMethods.ServiceName, OtlpGrpcMethods.Export.Name, Bytes, Bytes);

    private readonly GrpcChannel channel;
    private readonly CallInvoker invoker;

    public OtlpGrpcClient(Uri address)
    {
        channel = GrpcChannel.ForAddress(address);
        invoker = channel.CreateCallInvoker();
    }

    public async Task<ExportTraceServiceResponse> ExportAsync(ExportTraceServiceRequest request, string? key = TraceAnalyticsServer.IngestKey) =>
        await invoker.AsyncUnaryCall(OtlpGrpcMethods.Export, null, Options(key), request);

    public async Task<ExportTraceServiceResponse> ExportRawAsync(byte[] message, string? key = TraceAnalyticsServer.IngestKey) =>
        ExportTraceServiceResponse.Parser.ParseFrom(await invoker.AsyncUnaryCall(RawExport, null, Options(key), message));

    private static CallOptions Options(string? key)
    {
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add(IngestOptions.ApiKeyHeader, key);
        }

        return new CallOptions(headers, deadline: DateTime.UtcNow.AddSeconds(30));
    }

    public void Dispose() => channel.Dispose();
}
