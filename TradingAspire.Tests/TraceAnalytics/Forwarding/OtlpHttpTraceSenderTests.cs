using System.Net;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>How the OTLP/HTTP sender reads a backend's answers, as the OTLP specification defines them.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OtlpHttpTraceSenderTests
{
    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        public byte[] LastBody { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            LastBody = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            return answer(request);
        }
    }

    private static async Task<(SendResult Result, Answering Handler)> SendAsync(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var handler = new Answering(answer);
        var target = ForwardTarget.Parse(new ForwardOptions { Endpoint = "http://collector:4318", Headers = "x-api-key=k1" });
        using var client = new HttpClient(handler);
        var sender = new OtlpHttpTraceSender(client, target, TimeSpan.FromSeconds(5));
        return (await sender.SendAsync(OtlpRequests.OrderRequest(), CancellationToken.None), handler);
    }

    [Fact]
    public async Task The_export_is_posted_as_protobuf_to_v1_traces_with_the_headers_and_a_200_is_delivered()
    {
        var (result, handler) = await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) });

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal("http://collector:4318/v1/traces", handler.Last!.RequestUri!.ToString());
        Assert.Equal("application/x-protobuf", handler.Last.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("k1", handler.Last.Headers.GetValues("x-api-key").Single());
        Assert.Equal(OtlpRequests.OrderRequest(), ExportTraceServiceRequest.Parser.ParseFrom(handler.LastBody));
    }

    [Fact]
    public async Task A_partial_success_is_delivered_with_the_rejected_count_and_the_backends_message()
    {
        var answer = new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 1, ErrorMessage = "span too old" } };

        var (result, _) = await SendAsync(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(answer.ToByteArray()) });

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal(1, result.RejectedSpans);
        Assert.Equal("span too old", result.Detail);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Overload_and_gateway_answers_are_retryable_with_the_backends_retry_after(HttpStatusCode status)
    {
        var (result, _) = await SendAsync(_ =>
        {
            var response = new HttpResponseMessage(status);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        Assert.Equal(SendStatus.Retryable, result.Status);
        Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), result.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Other_errors_are_refused_for_good_with_the_status_and_the_google_rpc_status_message(HttpStatusCode status)
    {
        var body = new Google.Rpc.Status { Code = 16, Message = "invalid api key" };

        var (result, _) = await SendAsync(_ =>
        {
            var content = new ByteArrayContent(body.ToByteArray());
            content.Headers.ContentType = new("application/x-protobuf");
            return new HttpResponseMessage(status) { Content = content };
        });

        Assert.Equal(SendStatus.Refused, result.Status);
        Assert.Contains($"HTTP {(int)status}", result.Detail);
        Assert.Contains("invalid api key", result.Detail);
    }

    [Fact]
    public async Task An_unreachable_backend_is_retryable()
    {
        var (result, _) = await SendAsync(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        Assert.Equal(SendStatus.Retryable, result.Status);
        Assert.Equal("ConnectionError", result.ErrorType);
    }
}
