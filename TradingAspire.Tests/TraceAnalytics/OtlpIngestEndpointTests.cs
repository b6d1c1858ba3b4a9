using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The server for <see cref="OtlpIngestEndpointTests"/>: bodies are limited to 64 KiB.</summary>
public sealed class SmallBodyTraceAnalyticsServer : IAsyncLifetime
{
    public const int MaxBodyBytes = 64 * 1024;

    public TraceAnalyticsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?> { ["TraceAnalytics:Ingest:MaxBodyBytes"] = MaxBodyBytes.ToString() });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>POST /v1/traces over real HTTP to the real service: what each kind of request is answered, and what is stored.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public class OtlpIngestEndpointTests(SmallBodyTraceAnalyticsServer fixture) : IClassFixture<SmallBodyTraceAnalyticsServer>
{
    private TraceAnalyticsServer Server => fixture.Server;

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? contentType, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return await Server.Exporter.PostAsync(OtlpIngestEndpoints.TracesPath, content);
    }

    private static string NewTraceId() => Guid.NewGuid().ToString("n");

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
    public async Task A_protobuf_export_is_answered_with_a_protobuf_response_once_its_spans_are_stored()
    {
        var traceId = NewTraceId();

        using var answer = await PostAsync(OtlpRequests.OrderRequest().WithTraceId(traceId).ToByteArray(), "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/x-protobuf", answer.Content.Headers.ContentType?.MediaType);
        Assert.Null(ExportTraceServiceResponse.Parser.ParseFrom(await answer.Content.ReadAsByteArrayAsync()).PartialSuccess);
        // Stored before the answer: readable at once, no waiting.
        Assert.Equal(2, (await Server.Store.GetTraceAsync(traceId)).Count);
    }

    [Fact]
    public async Task A_gzip_compressed_export_is_stored()
    {
        var traceId = NewTraceId();

        using var answer = await PostAsync(Gzip(OtlpRequests.OrderRequest().WithTraceId(traceId).ToByteArray()), "application/x-protobuf", "gzip");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, (await Server.Store.GetTraceAsync(traceId)).Count);
    }

    [Fact]
    public async Task A_json_export_with_a_bad_span_gets_a_json_partial_success_and_its_good_span_is_stored()
    {
        var traceId = NewTraceId();
        var json = $$"""
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"{{traceId}}","spanId":"eee19b7ec3c1b174","name":"ok"},
              {"traceId":"5b8e","spanId":"eee19b7ec3c1b175","name":"short"}]}]}]}
            """;

        using var answer = await PostAsync(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        var partial = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("partialSuccess");
        Assert.Equal("1", partial.GetProperty("rejectedSpans").ToString());
        Assert.Contains("trace id must be 16 bytes, got 2", partial.GetProperty("errorMessage").GetString());
        Assert.Single(await Server.Store.GetTraceAsync(traceId));
    }

    [Fact]
    public async Task Malformed_protobuf_gets_400_with_a_google_rpc_status_saying_why()
    {
        using var answer = await PostAsync([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], "application/x-protobuf");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/x-protobuf", answer.Content.Headers.ContentType?.MediaType);
        var status = Google.Rpc.Status.Parser.ParseFrom(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.StartsWith("malformed protobuf", status.Message);
    }

    [Fact]
    public async Task Malformed_json_gets_400_problem_details_saying_why()
    {
        using var answer = await PostAsync(Encoding.UTF8.GetBytes("{\"resourceSpans\":["), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("malformed JSON", problem.GetProperty("detail").GetString());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task A_broken_gzip_body_gets_400()
    {
        using var answer = await PostAsync([1, 2, 3, 4, 5], "application/x-protobuf", contentEncoding: "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("gzip", Google.Rpc.Status.Parser.ParseFrom(await answer.Content.ReadAsByteArrayAsync()).Message);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/grpc")]
    [InlineData(null)]
    public async Task An_unsupported_content_type_gets_415(string? contentType)
    {
        using var answer = await PostAsync([], contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
        Assert.Contains("application/x-protobuf", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unsupported_content_encoding_gets_415()
    {
        using var answer = await PostAsync([], "application/json", contentEncoding: "br");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
        Assert.Contains("br", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        using var answer = await PostAsync(new byte[SmallBodyTraceAnalyticsServer.MaxBodyBytes + 1], "application/x-protobuf");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
    }

    // A full queue, without a writer draining it: the handler itself against a real queue (a real server's
    // writer drains too fast to hold a queue full on purpose).
    private sealed record Answer(int StatusCode, string? ContentType, IHeaderDictionary Headers, byte[] Body);

    private static async Task<Answer> PostToHandlerAsync(byte[] body, string contentType, IngestQueue queue, IngestMonitor monitor)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = OtlpIngestEndpoints.TracesPath;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.Headers[IngestOptions.ApiKeyHeader] = "key";
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var options = Options.Create(new IngestOptions { ApiKey = "key" });
        var result = await OtlpIngestEndpoints.ExportAsync(
            context.Request, new IngestKeyCheck(options), new OtlpTraceIngest(queue, monitor, options), options, CancellationToken.None);
        await result.ExecuteAsync(context);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, responseBody.ToArray());
    }

    private static IngestMonitor NewMonitor() => new(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System);

    [Fact]
    public async Task A_full_queue_gets_503_with_Retry_After_and_nothing_is_queued_in_part()
    {
        var queue = new IngestQueue(1);
        var monitor = NewMonitor();
        var first = new IngestBatch([Placeholder()]);
        Assert.True(queue.TryEnqueue(first));

        var answer = await PostToHandlerAsync(OtlpRequests.OrderRequest("ord-43").ToByteArray(), "application/x-protobuf", queue, monitor);

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("1", answer.Headers.RetryAfter.ToString());
        Assert.Equal(14, Google.Rpc.Status.Parser.ParseFrom(answer.Body).Code);
        Assert.True(queue.Reader.TryRead(out var queued));
        Assert.Same(first, queued);
        Assert.False(queue.Reader.TryRead(out _));
        var status = monitor.Snapshot(queue.Count);
        Assert.Equal(2, status.Refused[IngestMonitor.Reasons.QueueFull]);
        Assert.Equal(0, status.AcceptedSpans);
    }

    [Fact]
    public async Task A_json_client_hitting_a_full_queue_gets_503_problem_details()
    {
        var queue = new IngestQueue(1);
        Assert.True(queue.TryEnqueue(new IngestBatch([Placeholder()])));

        var answer = await PostToHandlerAsync(Encoding.UTF8.GetBytes(OtlpRequests.OfficialJsonExample), "application/json", queue, NewMonitor());

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.False(string.IsNullOrEmpty(answer.Headers.RetryAfter.ToString()));
    }

    private static TradingAspire.TraceAnalytics.Storage.SpanRecord Placeholder() =>
        TradingAspire.TraceAnalytics.Otlp.OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans[0];
}
