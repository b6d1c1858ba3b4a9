using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// OTLP/HTTP with protobuf: <c>POST</c> of the export to the target URL with the configured headers. As OTLP says,
/// 429/502/503/504 and transport failures are retryable (with the answer's <c>Retry-After</c>), any other error
/// status is not; a 200's body may report a partial success.
/// </summary>
public sealed class OtlpHttpTraceSender(HttpClient client, ForwardTarget target, TimeSpan timeout) : IOtlpTraceSender
{
    private const int MaxDetailChars = 300;
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    public async Task<SendResult> SendAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(request.ToByteArray()) };
        message.Content.Headers.ContentType = Protobuf;
        foreach (var (name, value) in target.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, attempt.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(attempt.Token).ConfigureAwait(false);
            return Classify(response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Retryable, "timeout", $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendStatus.Retryable, ex.HttpRequestError.ToString(), ex.Message);
        }
    }

    private static SendResult Classify(HttpResponseMessage response, byte[] body)
    {
        var code = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var answer = TryParse(body);
            return SendResult.Delivered(answer?.PartialSuccess?.RejectedSpans ?? 0, answer?.PartialSuccess?.ErrorMessage ?? "");
        }

        var detail = $"HTTP {code} {response.ReasonPhrase}{Describe(response, body)}";
        return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            ? new SendResult(SendStatus.Retryable, code.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, RetryAfter(response))
            : new SendResult(SendStatus.Refused, code.ToString(System.Globalization.CultureInfo.InvariantCulture), detail);
    }

    private static ExportTraceServiceResponse? TryParse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : ExportTraceServiceResponse.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The error body's message: a <c>google.rpc.Status</c> (OTLP's error body) or text, shortened.</summary>
    private static string Describe(HttpResponseMessage response, byte[] body)
    {
        if (body.Length == 0)
        {
            return "";
        }

        string text;
        if (response.Content.Headers.ContentType?.MediaType == Protobuf.MediaType)
        {
            try
            {
                text = Google.Rpc.Status.Parser.ParseFrom(body).Message;
            }
            catch (InvalidProtocolBufferException)
            {
                return "";
            }
        }
        else
        {
            text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxDetailChars * 4));
        }

        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : $": {(text.Length > MaxDetailChars ? text[..MaxDetailChars] + "..." : text)}";
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    public void Dispose()
    {
        // The client belongs to the HttpClientFactory.
    }
}
