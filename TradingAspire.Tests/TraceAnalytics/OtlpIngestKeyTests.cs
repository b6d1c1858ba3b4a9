using System.Net;
using Google.Protobuf;
using TradingAspire.TraceAnalytics.Ingest;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>OTLP ingest needs the store's ingest key, over real HTTP; a store without one refuses every export.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OtlpIngestKeyTests(TraceAnalyticsServerFixture fixture) : IClassFixture<TraceAnalyticsServerFixture>
{
    private static async Task<(HttpStatusCode Status, string Reason, int Stored)> PostAsync(TraceAnalyticsServer server, string? key)
    {
        var traceId = Guid.NewGuid().ToString("n");
        var client = key is null ? server.Anonymous : server.NewClient((IngestOptions.ApiKeyHeader, key));
        using var content = new ByteArrayContent(OtlpRequests.OrderRequest().WithTraceId(traceId).ToByteArray());
        content.Headers.ContentType = new("application/x-protobuf");
        using var response = await client.PostAsync(OtlpIngestEndpoints.TracesPath, content);
        var reason = response.IsSuccessStatusCode ? "" : Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message;
        return (response.StatusCode, reason, (await server.Store.GetTraceAsync(traceId)).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-ingest-key-9b1d4f")]
    [InlineData(TraceAnalyticsServer.OperatorKey)]
    public async Task An_export_without_the_stores_api_key_is_refused_and_nothing_is_stored(string? key)
    {
        var (status, reason, stored) = await PostAsync(fixture.Server, key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(IngestOptions.ApiKeyHeader, reason);
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task An_export_with_the_key_is_stored()
    {
        var (status, _, stored) = await PostAsync(fixture.Server, TraceAnalyticsServer.IngestKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, stored);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(TraceAnalyticsServer.IngestKey)]
    public async Task A_store_without_an_ingest_key_configured_refuses_every_export(string? key)
    {
        await using var server = await TraceAnalyticsServer.StartAsync(new Dictionary<string, string?> { ["TraceAnalytics:Ingest:ApiKey"] = null });

        var (status, reason, stored) = await PostAsync(server, key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("no ingest key configured", reason);
        Assert.Equal(0, stored);
    }
}
