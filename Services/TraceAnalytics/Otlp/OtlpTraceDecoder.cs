using System.Buffers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>Turns an OTLP/HTTP trace request body into an <see cref="ExportTraceServiceRequest"/>.</summary>
public static class OtlpTraceDecoder
{
    // OTLP asks receivers to ignore fields they do not know (newer protocol versions add some).
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Decodes <paramref name="body"/>, or says in <paramref name="error"/> why it can't.</summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> body,
        OtlpPayloadFormat format,
        out ExportTraceServiceRequest request,
        out string error)
    {
        try
        {
            request = format == OtlpPayloadFormat.Protobuf ? DecodeProtobuf(body) : DecodeJson(body);
            error = "";
            return true;
        }
        catch (OtlpDecodeException ex)
        {
            request = new ExportTraceServiceRequest();
            error = ex.Message;
            return false;
        }
    }

    /// <exception cref="OtlpDecodeException">The body is not a protobuf ExportTraceServiceRequest.</exception>
    public static ExportTraceServiceRequest DecodeProtobuf(ReadOnlySpan<byte> body)
    {
        try
        {
            return ExportTraceServiceRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OtlpDecodeException($"malformed protobuf: {ex.Message}");
        }
    }

    /// <summary>A gRPC message (possibly in several segments), parsed in place like the generated marshaller does.</summary>
    /// <exception cref="OtlpDecodeException">The message is not a protobuf ExportTraceServiceRequest.</exception>
    public static ExportTraceServiceRequest DecodeProtobuf(in ReadOnlySequence<byte> message)
    {
        try
        {
            return ExportTraceServiceRequest.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OtlpDecodeException($"malformed protobuf: {ex.Message}");
        }
    }

    /// <exception cref="OtlpDecodeException">The body is not an OTLP JSON ExportTraceServiceRequest.</exception>
    public static ExportTraceServiceRequest DecodeJson(ReadOnlySpan<byte> body)
    {
        var json = OtlpJsonNormalizer.Normalize(body);
        try
        {
            return Parser.Parse<ExportTraceServiceRequest>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException)
        {
            throw new OtlpDecodeException($"malformed OTLP JSON: {ex.Message}");
        }
    }
}
