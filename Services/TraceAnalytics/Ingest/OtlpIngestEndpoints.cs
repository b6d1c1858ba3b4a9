using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Access;
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
    /// Checks the ingest key (refusing every export while none is configured), decodes the request,
    /// queues its valid spans for the writer and waits until they are appended: 200 with the export
    /// response (partial_success when spans were refused) only then; 400/401/413/415 with the reason; 503
    /// with Retry-After when the store is failing, the queue is full, the append failed or did not finish
    /// within <see cref="IngestOptions.AppendTimeoutSeconds"/>.
    /// </summary>
    public static async Task<IResult> ExportAsync(
        HttpRequest request,
        IngestQueue queue,
        IngestMonitor monitor,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ApiKey))
        {
            OtlpContentTypes.TryParse(request.ContentType, out var requested);
            return OtlpResults.Error(requested, StatusCodes.Status401Unauthorized,
                $"the trace store has no ingest key configured ({IngestOptions.Section}:{nameof(IngestOptions.ApiKey)}), so it refuses every export");
        }

        if (!KeyComparison.FixedTimeMatches(settings.ApiKey, request.Headers[IngestOptions.ApiKeyHeader].ToString()))
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

        var body = await RequestBodyReader.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (!body.IsRead)
        {
            return OtlpResults.Error(format, body.StatusCode, body.Error);
        }

        if (!OtlpTraceDecoder.TryDecode(body.Content.Span, format, out var export, out var error))
        {
            return OtlpResults.Error(format, StatusCodes.Status400BadRequest, error);
        }

        var conversion = OtlpSpanConverter.Convert(export);
        var spans = conversion.Spans.Count;
        if (spans > 0)
        {
            var refusal = await StoreAsync(new IngestBatch(conversion.Spans), queue, monitor, settings, format, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            monitor.Accepted(spans);
        }

        return OtlpResults.Message(format, StatusCodes.Status200OK, OtlpSpanConverter.ToResponse(conversion));
    }

    /// <summary>Hands the spans to the writer and waits for their append; the 503 to answer when that fails, else null.</summary>
    private static async Task<IResult?> StoreAsync(
        IngestBatch batch, IngestQueue queue, IngestMonitor monitor, IngestOptions settings, OtlpPayloadFormat format, CancellationToken cancellationToken)
    {
        var retryAfter = Math.Max(1, settings.RetryAfterSeconds);
        var spans = batch.Spans.Count;
        if (!monitor.TryAdmit(TimeSpan.FromSeconds(retryAfter)))
        {
            monitor.Refused(spans, IngestMonitor.Reasons.StoreFailing);
            var failure = monitor.Failure;
            return OtlpResults.Unavailable(format,
                $"the trace store cannot write at the moment{(failure is null ? "" : $" (since {failure.Since:O}: {failure.LastError.Type})")}; retry later",
                retryAfter);
        }

        if (!queue.TryEnqueue(batch))
        {
            if (queue.IsClosed)
            {
                monitor.Refused(spans, IngestMonitor.Reasons.ShuttingDown);
                return OtlpResults.Unavailable(format, "the trace store is shutting down; retry later", retryAfter);
            }

            monitor.Refused(spans, IngestMonitor.Reasons.QueueFull);
            return OtlpResults.Overloaded(format, retryAfter);
        }

        try
        {
            await batch.Stored.WaitAsync(TimeSpan.FromSeconds(Math.Max(0.1, settings.AppendTimeoutSeconds)), cancellationToken);
            return null;
        }
        catch (TimeoutException)
        {
            monitor.Refused(spans, IngestMonitor.Reasons.Timeout);
            return OtlpResults.Unavailable(format,
                $"the spans were not stored within {settings.AppendTimeoutSeconds:0.#} s (they may still be); retry later", retryAfter);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The writer counted them as dropped and marked the store failing.
            return OtlpResults.Unavailable(format, $"the trace store could not append the spans ({ex.GetType().Name}); retry later", retryAfter);
        }
    }
}
