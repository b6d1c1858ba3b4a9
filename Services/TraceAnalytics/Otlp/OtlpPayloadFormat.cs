using Microsoft.Net.Http.Headers;

namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>The two OTLP/HTTP encodings.</summary>
public enum OtlpPayloadFormat
{
    Protobuf,
    Json,
}

public static class OtlpContentTypes
{
    public const string Protobuf = "application/x-protobuf";
    public const string Json = "application/json";

    /// <summary>Reads a Content-Type header (parameters such as charset are ignored).</summary>
    public static bool TryParse(string? contentType, out OtlpPayloadFormat format)
    {
        format = default;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        if (mediaType.MediaType.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            format = OtlpPayloadFormat.Protobuf;
            return true;
        }

        if (mediaType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            format = OtlpPayloadFormat.Json;
            return true;
        }

        return false;
    }

    public static string For(OtlpPayloadFormat format) => format == OtlpPayloadFormat.Protobuf ? Protobuf : Json;
}
