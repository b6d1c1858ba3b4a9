using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>Any OTLP client, not only ours: the OpenTelemetry JS SDK (installed with npm) exports a span.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class ForeignOtlpClientTests(TradingAppFixture app)
{
    [Fact]
    public async Task A_span_from_the_node_opentelemetry_sdk_is_stored_and_found_by_service_and_name()
    {
        var client = new NodeScript("ForeignClient");
        await client.EnsureInstalledAsync(Path.Combine("@opentelemetry", "exporter-trace-otlp-http"));

        var model = app.App.Services.GetRequiredService<DistributedApplicationModel>();
        var key = await model.Resources.OfType<ParameterResource>().Single(p => p.Name == ParameterNames.IngestKey).GetValueAsync(default);
        var service = "foreign-node-" + Guid.NewGuid().ToString("N")[..6];
        var export = await client.RunScriptAsync("export-span.js", new Dictionary<string, string>
        {
            ["OTLP_TRACES_URL"] = new Uri(app.TraceAnalytics.BaseAddress!, "/v1/traces").ToString(),
            ["OTLP_API_KEY"] = key!,
            ["SERVICE_NAME"] = service,
        });
        Assert.True(export.ExitCode == 0, $"the node exporter failed: {export.Output}");
        var traceId = export.Output.Trim().Split('\n')[^1].Trim();
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        var found = await Eventually.Get(async () =>
        {
            var page = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/spans/search?service={service}&name=checkout.compute&window=15m");
            return page.GetProperty("spans").GetArrayLength() > 0 ? new Box(page.GetProperty("spans")[0]) : null;
        }, TimeSpan.FromSeconds(30), "the foreign span in the store");

        Assert.Equal(traceId, found.Span.GetProperty("traceId").GetString());
        Assert.Equal(service, found.Span.GetProperty("serviceName").GetString());
        Assert.Equal("3", found.Span.GetProperty("attributes").GetProperty("shop.cart_items").ToString());
        var trace = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/traces/{traceId}");
        Assert.Equal("priced", trace.GetProperty("spans")[0].GetProperty("events")[0].GetProperty("name").GetString());
    }

    private sealed record Box(JsonElement Span);
}
