using System.Globalization;
using System.Text;
using Google.Protobuf;
using TradingAspire.TraceAnalytics.Otlp;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// OTLP/HTTP answers in the request's encoding: the export response on success; on failure a
/// <c>google.rpc.Status</c> for protobuf clients and ProblemDetails (with the reason) for JSON clients.
/// </summary>
public static class OtlpResults
{
    // google.rpc.Code values.
    private const int InvalidArgument = 3;
    private const int UnavailableCode = 14;
    private const int Unknown = 2;
    private const int Unauthenticated = 16;

    public static IResult Message(OtlpPayloadFormat format, int statusCode, IMessage message) =>
        new OtlpMessageResult(format, statusCode, message);

    public static IResult Error(OtlpPayloadFormat format, int statusCode, string reason)
    {
        if (format == OtlpPayloadFormat.Protobuf)
        {
            return Message(format, statusCode, new Google.Rpc.Status { Code = GrpcCode(statusCode), Message = reason });
        }

        return TypedResults.Problem(statusCode: statusCode, title: Title(statusCode), detail: reason);
    }

    /// <summary>503 with Retry-After: retryable, so an OpenTelemetry exporter sends the spans again.</summary>
    public static IResult Unavailable(OtlpPayloadFormat format, string reason, int retryAfterSeconds) =>
        new RetryAfterResult(Error(format, StatusCodes.Status503ServiceUnavailable, reason), retryAfterSeconds);

    private static int GrpcCode(int statusCode) => statusCode switch
    {
        StatusCodes.Status503ServiceUnavailable => UnavailableCode,
        StatusCodes.Status401Unauthorized => Unauthenticated,
        >= 400 and < 500 => InvalidArgument,
        _ => Unknown,
    };

    private static string Title(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => "Malformed OTLP request",
        StatusCodes.Status413PayloadTooLarge => "OTLP request too large",
        StatusCodes.Status401Unauthorized => "OTLP API key required",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported OTLP encoding",
        StatusCodes.Status503ServiceUnavailable => "Trace store unavailable",
        _ => "OTLP request refused",
    };

    private sealed class OtlpMessageResult(OtlpPayloadFormat format, int statusCode, IMessage message) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var body = format == OtlpPayloadFormat.Protobuf
                ? message.ToByteArray()
                : Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message));
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = OtlpContentTypes.For(format);
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }

    private sealed class RetryAfterResult(IResult inner, int retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, retryAfterSeconds).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
