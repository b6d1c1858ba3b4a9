using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>OTLP/HTTP trace ingest: <c>POST /v1/traces</c>.</summary>
public static class OtlpIngestEndpoints
{
    private static bool KeyMatches(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual));

    public const string TracesPath = "/v1/traces";

    public static IEndpointConventionBuilder MapOtlpTraceIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(TracesPath, ExportAsync)
            .WithName("ExportTraces")
            .WithTags("OTLP")
            .WithSummary("OTLP/HTTP trace export: application/x-protobuf or application/json, optionally gzip")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// Decodes the request, queues its valid spans for the writer and answers at once: 200 with the
    /// export response (partial_success when spans were refused), 400/413/415 with the reason, or
    /// 503 with Retry-After when the queue is full.
    /// </summary>
    public static async Task<IResult> ExportAsync(
        HttpRequest request,
        IngestQueue queue,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var key = options.Value.ApiKey;
        if (!string.IsNullOrEmpty(key) && !KeyMatches(key, request.Headers[IngestOptions.ApiKeyHeader].ToString()))
        {
            OtlpContentTypes.TryParse(request.ContentType, out var requested);
            return OtlpResults.Error(requested, StatusCodes.Status401Unauthorized,
                $"Send the trace store's API key in the {IngestOptions.ApiKeyHeader} header.");
        }

        if (!OtlpContentTypes.TryParse(request.ContentType, out var format))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported OTLP encoding",
                detail: $"Content-Type '{request.ContentType}' is not supported; send {OtlpContentTypes.Protobuf} or {OtlpContentTypes.Json}");
        }

        var body = await RequestBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (!body.IsRead)
        {
            return OtlpResults.Error(format, body.StatusCode, body.Error);
        }

        if (!OtlpTraceDecoder.TryDecode(body.Content.Span, format, out var export, out var error))
        {
            return OtlpResults.Error(format, StatusCodes.Status400BadRequest, error);
        }

        var conversion = OtlpSpanConverter.Convert(export);
        if (!queue.TryEnqueue(conversion.Spans))
        {
            return OtlpResults.Overloaded(format, options.Value.RetryAfterSeconds);
        }

        return OtlpResults.Message(format, StatusCodes.Status200OK, OtlpSpanConverter.ToResponse(conversion));
    }
}
