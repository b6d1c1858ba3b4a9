using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The OTLP/gRPC method <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c> as the generated stub
/// declares it, with one change: a request that is not a protobuf <see cref="ExportTraceServiceRequest"/> fails
/// with INVALID_ARGUMENT (OTLP's not-retryable bad data) instead of the UNKNOWN a parse exception would give.
/// </summary>
public static class OtlpGrpcMethods
{
    /// <summary><c>opentelemetry.proto.collector.trace.v1.TraceService</c>, from the compiled proto.</summary>
    public static readonly string ServiceName = TraceService.Descriptor.FullName;

    /// <summary>The HTTP/2 path every OTLP/gRPC trace export is sent to.</summary>
    public static readonly string ServicePath = "/" + ServiceName;

    public static readonly Method<ExportTraceServiceRequest, ExportTraceServiceResponse> Export = new(
        MethodType.Unary,
        ServiceName,
        TraceService.Descriptor.FindMethodByName("Export").Name,
        Marshallers.Create<ExportTraceServiceRequest>(Serialize, DeserializeRequest),
        Marshallers.Create<ExportTraceServiceResponse>(Serialize, context => ExportTraceServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    private static ExportTraceServiceRequest DeserializeRequest(DeserializationContext context)
    {
        try
        {
            return OtlpTraceDecoder.DecodeProtobuf(context.PayloadAsReadOnlySequence());
        }
        catch (OtlpDecodeException ex)
        {
            throw OtlpGrpcErrors.InvalidArgument(ex.Message);
        }
    }

    private static void Serialize<T>(T message, SerializationContext context)
        where T : IBufferMessage, IMessage
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo((IBufferWriter<byte>)context.GetBufferWriter());
        context.Complete();
    }
}
