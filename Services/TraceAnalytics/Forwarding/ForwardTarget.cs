namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>The OTLP transport the forwarder speaks.</summary>
public enum ForwardProtocol
{
    Grpc,
    HttpProtobuf,
}

/// <summary>
/// Where and how to forward, read from <see cref="ForwardOptions"/>: the URL to call (for OTLP/HTTP with
/// <c>/v1/traces</c> when the endpoint has no path), the protocol and the headers. <see cref="Display"/> is the
/// endpoint without user info or query, safe to show and log; the header values are never shown.
/// </summary>
public sealed record ForwardTarget(Uri Url, ForwardProtocol Protocol, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string TracesPath = "/v1/traces";

    public string ProtocolName => Protocol == ForwardProtocol.Grpc ? "grpc" : "http/protobuf";

    public string Display => Url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>Never the header values (they are credentials).</summary>
    public override string ToString() => $"{Display} ({ProtocolName}, {Headers.Count} headers)";

    /// <summary>The target the options name; throws <see cref="FormatException"/> saying which setting is wrong.</summary>
    public static ForwardTarget Parse(ForwardOptions options)
    {
        var endpoint = options.Endpoint?.Trim() ?? "";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            throw new FormatException($"{ForwardOptions.Section}:Endpoint must be an absolute http:// or https:// URL, got '{endpoint}'");
        }

        var protocol = ParseProtocol(options.Protocol, url);
        if (protocol == ForwardProtocol.HttpProtobuf && url.AbsolutePath is "" or "/")
        {
            url = new UriBuilder(url) { Path = TracesPath }.Uri;
        }

        return new ForwardTarget(url, protocol, ParseHeaders(options.Headers));
    }

    private static ForwardProtocol ParseProtocol(string? protocol, Uri url) => protocol?.Trim().ToLowerInvariant() switch
    {
        null or "" => url.Port == 4318 || url.AbsolutePath.EndsWith(TracesPath, StringComparison.Ordinal) ? ForwardProtocol.HttpProtobuf : ForwardProtocol.Grpc,
        "grpc" => ForwardProtocol.Grpc,
        "http/protobuf" or "http" => ForwardProtocol.HttpProtobuf,
        _ => throw new FormatException($"{ForwardOptions.Section}:Protocol must be grpc or http/protobuf, got '{protocol}'"),
    };

    /// <summary><c>key=value,key2=value2</c> as in <c>OTEL_EXPORTER_OTLP_HEADERS</c>: keys and values trimmed, values URL-decoded.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseHeaders(string? headers)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        var pairs = (headers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var index = 0; index < pairs.Length; index++)
        {
            var pair = pairs[index];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? pair[..equals].Trim() : "";
            if (key.Length == 0)
            {
                // The entry itself is not echoed: it may be a secret.
                throw new FormatException($"{ForwardOptions.Section}:Headers must be key=value pairs separated by commas; entry {index + 1} has no key or no '='");
            }

            parsed.Add(new(key.ToLowerInvariant(), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
        }

        return parsed;
    }
}
