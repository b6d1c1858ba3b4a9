using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>String-to-string attribute maps as JSON object text, the form they are stored in.</summary>
public static class AttributeJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    // The writer and its buffer are reused on each thread: serializing a map allocates only its string.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    // The last map given to SerializeShared on this thread, and its text.
    [ThreadStatic]
    private static IReadOnlyDictionary<string, string>? lastShared;

    [ThreadStatic]
    private static string? lastSharedJson;

    public static string Serialize(IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count == 0)
        {
            return "{}";
        }

        var buffer = threadBuffer ??= new ArrayBufferWriter<byte>(512);
        var writer = threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var (key, value) in attributes)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <see cref="Serialize"/> for a map that many spans in a row share and nobody changes (a resource's
    /// attributes: the converter gives every span of a resource the same instance): the same instance as the
    /// previous call on this thread gets the same text back without serializing it again.
    /// </summary>
    public static string SerializeShared(IReadOnlyDictionary<string, string> attributes)
    {
        if (!ReferenceEquals(attributes, lastShared) || lastSharedJson is null)
        {
            lastSharedJson = Serialize(attributes);
            lastShared = attributes;
        }

        return lastSharedJson;
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; anything else that is not an object gives an empty map.</summary>
    public static IReadOnlyDictionary<string, string> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "{}")
        {
            return Empty;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            attributes[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString() ?? ""
                : property.Value.GetRawText();
        }

        return attributes;
    }
}
