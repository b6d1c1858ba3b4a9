using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.Tests.Support;
using TradingAspire.Tests.TraceAnalytics;

namespace TradingAspire.Tests.Integration;

/// <summary>The AppHost's <c>otlp-grpc</c> endpoint of the trace store: declared HTTP/2, and it takes a real export.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class OtlpGrpcEndpointTests(TradingAppFixture app)
{
    [Fact]
    public async Task The_otlp_grpc_endpoint_stores_what_the_sdk_exports_with_the_ingest_key_and_refuses_a_wrong_key()
    {
        var model = app.App.Services.GetRequiredService<DistributedApplicationModel>();
        var analytics = model.Resources.OfType<ProjectResource>().Single(r => r.Name == ResourceNames.TraceAnalytics);
        var declared = analytics.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == OtlpGrpcEndpoint.EndpointName);
        Assert.Equal(("http", "http2", OtlpGrpcEndpoint.DefaultPort), (declared.UriScheme, declared.Transport, declared.Port));
        var endpoint = app.App.GetEndpoint(ResourceNames.TraceAnalytics, OtlpGrpcEndpoint.EndpointName);
        // Aspire.Hosting.Testing randomizes the proxy port: tests never clash with a developer's AppHost on 4317.
        Assert.NotEqual(OtlpGrpcEndpoint.DefaultPort, endpoint.Port);

        var key = (await model.Resources.OfType<ParameterResource>().Single(p => p.Name == ParameterNames.IngestKey).GetValueAsync(default))!;
        var traceId = SdkGrpcExport.OrderTrace(endpoint, key, "grpc-apphost-" + Guid.NewGuid().ToString("N")[..6]);

        var spans = await Eventually.Get(async () =>
        {
            using var response = await app.TraceAnalytics.GetAsync($"/api/traces/{traceId}");
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var trace = await response.Content.ReadFromJsonAsync<JsonElement>();
            return trace.GetProperty("spans").GetArrayLength() == 2 ? new Box(trace.GetProperty("spans")) : null;
        }, TimeSpan.FromSeconds(30), "the SDK's gRPC export in the trace store");
        Assert.Contains(spans.Spans.EnumerateArray(), span => span.GetProperty("name").GetString() == "venue.match");

        using var client = new OtlpGrpcClient(endpoint);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpRequests.OrderRequest(), key + "x"));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    private sealed record Box(JsonElement Spans);
}
