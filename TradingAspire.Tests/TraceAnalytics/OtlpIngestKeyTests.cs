using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Ingest;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

public sealed class OtlpIngestKeyTests
{
    private static async Task<(int Status, int Queued)> PostAsync(string? key)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        var body = OtlpRequests.OrderRequest().ToByteArray();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/x-protobuf";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        if (key is not null)
        {
            context.Request.Headers[IngestOptions.ApiKeyHeader] = key;
        }

        context.Response.Body = new MemoryStream();
        var queue = new IngestQueue(4);
        var result = await OtlpIngestEndpoints.ExportAsync(context.Request, queue, Options.Create(new IngestOptions { ApiKey = "store-key" }), CancellationToken.None);
        await result.ExecuteAsync(context);
        var queued = 0;
        while (queue.Reader.TryRead(out _))
        {
            queued++;
        }

        return (context.Response.StatusCode, queued);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("store-kez")]
    public async Task An_export_without_the_stores_api_key_is_refused_and_nothing_is_stored(string? key)
    {
        var (status, queued) = await PostAsync(key);
        Assert.Equal(401, status);
        Assert.Equal(0, queued);
    }

    [Fact]
    public async Task An_export_with_the_key_is_accepted()
    {
        var (status, queued) = await PostAsync("store-key");
        Assert.Equal(200, status);
        Assert.Equal(1, queued);
    }
}
