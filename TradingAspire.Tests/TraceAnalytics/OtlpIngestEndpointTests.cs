using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Ingest;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

public class OtlpIngestEndpointTests
{
    private sealed record Answer(int StatusCode, string? ContentType, IHeaderDictionary Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    private static async Task<Answer> PostAsync(
        byte[] body,
        string? contentType,
        IngestQueue? queue = null,
        string? contentEncoding = null,
        IngestOptions? options = null)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = OtlpIngestEndpoints.TracesPath;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        if (contentEncoding is not null)
        {
            context.Request.Headers.ContentEncoding = contentEncoding;
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var result = await OtlpIngestEndpoints.ExportAsync(
            context.Request, queue ?? new IngestQueue(16), Options.Create(options ?? new IngestOptions()), CancellationToken.None);
        await result.ExecuteAsync(context);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, responseBody.ToArray());
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    [Fact]
    public async Task A_protobuf_export_is_answered_with_a_protobuf_response_and_its_spans_queued()
    {
        var queue = new IngestQueue(16);

        var answer = await PostAsync(OtlpRequests.OrderRequest().ToByteArray(), "application/x-protobuf", queue);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("application/x-protobuf", answer.ContentType);
        Assert.Null(ExportTraceServiceResponse.Parser.ParseFrom(answer.Body).PartialSuccess);
        Assert.True(queue.Reader.TryRead(out var queued));
        Assert.Equal(2, queued.Count);
    }

    [Fact]
    public async Task A_gzip_compressed_export_is_accepted()
    {
        var queue = new IngestQueue(16);

        var answer = await PostAsync(Gzip(OtlpRequests.OrderRequest().ToByteArray()), "application/x-protobuf", queue, "gzip");

        Assert.Equal(200, answer.StatusCode);
        Assert.True(queue.Reader.TryRead(out var queued));
        Assert.Equal(2, queued.Count);
    }

    [Fact]
    public async Task A_json_export_with_a_bad_span_gets_a_json_partial_success()
    {
        const string json = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok"},
              {"traceId":"5b8e","spanId":"eee19b7ec3c1b175","name":"short"}]}]}]}
            """;
        var queue = new IngestQueue(16);

        var answer = await PostAsync(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8", queue);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("application/json", answer.ContentType);
        using var document = JsonDocument.Parse(answer.Body);
        var partial = document.RootElement.GetProperty("partialSuccess");
        Assert.Equal("1", partial.GetProperty("rejectedSpans").ToString());
        Assert.Contains("trace id must be 16 bytes, got 2", partial.GetProperty("errorMessage").GetString());
        Assert.True(queue.Reader.TryRead(out var queued));
        Assert.Single(queued);
    }

    [Fact]
    public async Task Malformed_protobuf_gets_400_with_a_google_rpc_status_saying_why()
    {
        var answer = await PostAsync([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], "application/x-protobuf");

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("application/x-protobuf", answer.ContentType);
        var status = Google.Rpc.Status.Parser.ParseFrom(answer.Body);
        Assert.Equal(3, status.Code);
        Assert.StartsWith("malformed protobuf", status.Message);
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details_saying_why()
    {
        var answer = await PostAsync(Encoding.UTF8.GetBytes("{\"resourceSpans\":["), "application/json");

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.ContentType);
        using var document = JsonDocument.Parse(answer.Body);
        Assert.Equal(400, document.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith("malformed JSON", document.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_broken_gzip_body_gets_400()
    {
        var answer = await PostAsync([1, 2, 3, 4, 5], "application/x-protobuf", contentEncoding: "gzip");

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains("gzip", Google.Rpc.Status.Parser.ParseFrom(answer.Body).Message);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/grpc")]
    [InlineData(null)]
    public async Task An_unsupported_content_type_gets_415(string? contentType)
    {
        var answer = await PostAsync([], contentType);

        Assert.Equal(415, answer.StatusCode);
        Assert.Contains("application/x-protobuf", answer.Text);
    }

    [Fact]
    public async Task An_unsupported_content_encoding_gets_415()
    {
        var answer = await PostAsync([], "application/json", contentEncoding: "br");

        Assert.Equal(415, answer.StatusCode);
        Assert.Contains("br", answer.Text);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var answer = await PostAsync(new byte[2048], "application/x-protobuf", options: new IngestOptions { MaxBodyBytes = 1024 });

        Assert.Equal(413, answer.StatusCode);
    }

    [Fact]
    public async Task A_full_queue_gets_503_with_Retry_After_and_nothing_is_queued_in_part()
    {
        var queue = new IngestQueue(1);
        Assert.Equal(200, (await PostAsync(OtlpRequests.OrderRequest().ToByteArray(), "application/x-protobuf", queue)).StatusCode);

        var answer = await PostAsync(OtlpRequests.OrderRequest("ord-43").ToByteArray(), "application/x-protobuf", queue);

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("1", answer.Headers.RetryAfter.ToString());
        Assert.Equal(14, Google.Rpc.Status.Parser.ParseFrom(answer.Body).Code);
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.All(first, span => Assert.Equal("ord-42", span.OrderId));
        Assert.False(queue.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_json_client_hitting_a_full_queue_gets_503_problem_details()
    {
        var queue = new IngestQueue(1);
        Assert.True(queue.TryEnqueue([Placeholder()]));

        var answer = await PostAsync(Encoding.UTF8.GetBytes(OtlpRequests.OfficialJsonExample), "application/json", queue);

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.False(string.IsNullOrEmpty(answer.Headers.RetryAfter.ToString()));
    }

    private static TradingAspire.TraceAnalytics.Storage.SpanRecord Placeholder() =>
        TradingAspire.TraceAnalytics.Otlp.OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans[0];
}
