using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>
/// Bridges the OTLP JSON encoding to the standard protobuf JSON mapping that Google.Protobuf's
/// <c>JsonParser</c> reads: trace and span ids are hex in OTLP JSON but base64 in the standard
/// mapping, and 64-bit integers sent as JSON numbers are turned into strings so that nanosecond
/// timestamps past 2^53 keep their precision.
/// </summary>
internal static class OtlpJsonNormalizer
{
    private const int MaxDepth = 128;

    private static readonly HashSet<string> IdFields =
        ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"];

    private static readonly HashSet<string> Int64Fields =
    [
        "startTimeUnixNano", "endTimeUnixNano", "timeUnixNano", "intValue",
        "start_time_unix_nano", "end_time_unix_nano", "time_unix_nano", "int_value",
    ];

    /// <exception cref="OtlpDecodeException">The body is not JSON, or an id is not hex.</exception>
    public static string Normalize(ReadOnlySpan<byte> utf8Json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new OtlpDecodeException($"malformed JSON: {ex.Message}");
        }

        if (root is not JsonObject rootObject)
        {
            throw new OtlpDecodeException("malformed JSON: the body must be a JSON object (an ExportTraceServiceRequest)");
        }

        Rewrite(rootObject);
        return rootObject.ToJsonString();
    }

    private static void Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue scalar && IdFields.Contains(name))
                    {
                        obj[name] = HexToBase64(name, scalar);
                    }
                    else if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && Int64Fields.Contains(name))
                    {
                        obj[name] = number.ToJsonString();
                    }
                    else
                    {
                        Rewrite(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Rewrite(item);
                }

                break;
        }
    }

    private static string HexToBase64(string field, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            throw new OtlpDecodeException($"'{field}' must be a hex string");
        }

        var hex = value.GetValue<string>();
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new OtlpDecodeException($"'{field}' value '{Truncate(hex)}' is not hex");
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
