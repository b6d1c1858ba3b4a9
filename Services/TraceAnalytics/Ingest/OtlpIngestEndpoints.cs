using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>OTLP/HTTP trace ingest: <c>POST /v1/traces</c>.</summary>
public static class OtlpIngestEndpoints
{
    public const string TracesPath = "/v1/traces";

    public static IEndpointConventionBuilder MapOtlpTraceIngest(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(TracesPath, ExportAsync)
            .WithName("ExportTraces")
            .WithTags("OTLP")
            .WithSummary("OTLP/HTTP trace export: application/x-protobuf or application/json, optionally gzip; answered once the spans are stored")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// Checks the ingest key (<see cref="IngestKeyCheck"/>), decodes the request and hands it to the shared
    /// ingest step (<see cref="OtlpTraceIngest"/>): 200 with the export response (partial_success when spans were
    /// refused) once the spans are stored; 400/401/413/415 with the reason; 503 with Retry-After when the store
    /// cannot take them now.
    /// </summary>
    public static async Task<IResult> ExportAsync(
        HttpRequest request,
        IngestKeyCheck keyCheck,
        OtlpTraceIngest ingest,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        if (keyCheck.Refusal(request.Headers[IngestOptions.ApiKeyHeader].ToString()) is { } refusal)
        {
            OtlpContentTypes.TryParse(request.ContentType, out var requested);
            return OtlpResults.Error(requested, StatusCodes.Status401Unauthorized, refusal);
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

        var result = await ingest.IngestAsync(export, cancellationToken);
        return result.Outcome == IngestOutcome.Stored
            ? OtlpResults.Message(format, StatusCodes.Status200OK, result.Response)
            : OtlpResults.Unavailable(format, result.Reason, result.RetryAfterSeconds);
    }
}
