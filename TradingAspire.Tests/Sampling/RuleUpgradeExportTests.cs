using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using TradingAspire.Gateway;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Sampling;

/// <summary>
/// In process, with the real telemetry setup (ServiceDefaults, the entry sampler, OpenTelemetry's batch
/// export processor, an in-memory exporter) and Ratio=0: a request the rule keeps is sampled before its
/// first child span, so its root, its children and the traceparent it hands on all carry flags 01, and a
/// downstream span continuing that traceparent is exported too; a request no rule matches carries 00 and
/// not one span of its trace is exported, downstream included.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
[Collection(SoleTracerProviderCollection.Name)]
public sealed class RuleUpgradeExportTests : IAsyncLifetime
{
    private const string RuleClient = "vip-desk";
    private readonly List<Activity> exported = [];
    private readonly ConcurrentDictionary<string, bool> ended = new();
    private WebApplication app = null!;
    private HttpClient http = null!;

    private sealed record Handed(string TraceId, string Traceparent);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[$"{SamplingOptions.Section}:Ratio"] = "0";
        builder.Configuration[$"{SamplingOptions.Section}:AlwaysClients:0"] = RuleClient;
        builder.AddServiceDefaults();
        builder.AddEntrySampling();
        var telemetry = builder.AddServiceTelemetry("SamplingTest");
        builder.Services.AddSingleton<OrderSampling>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(MessagingTelemetry.Name)
            .AddProcessor(new EndedRequests(ended))
            .AddProcessor(new BatchActivityExportProcessor(new InMemoryExporter<Activity>(exported))));
        app = builder.Build();
        // Like the gateway: read the order, apply the rules, then the stage span and the stream entry.
        app.MapPost("/orders/{clientId}", (string clientId, OrderSampling sampling) =>
        {
            var readStarted = Stopwatch.GetTimestamp();
            sampling.Apply(Activity.Current, clientId, new OrderRequest(clientId, "ETH-USD", "BUY", "MARKET", 1m, null));
            using (telemetry.StartStageBegunAt("order.receive", readStarted))
            {
            }

            var fields = new Dictionary<string, string>();
            using (var send = MessagingTelemetry.Source.StartActivity("send orders.new", ActivityKind.Producer))
            {
                TraceContextCarrier.Inject(TraceContextCarrier.ContextToPropagate(send), Baggage.Current, fields);
            }

            return Results.Ok(new Handed(Activity.Current!.TraceId.ToHexString(), fields["traceparent"]));
        });
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_rule_client_order_left_out_by_the_ratio_exports_its_whole_trace_with_flags_01()
    {
        var handed = await SubmitAndConsumeAsync(RuleClient);

        Assert.EndsWith("-01", handed.Traceparent, StringComparison.Ordinal);
        Assert.True(ended[handed.TraceId]);
        var spans = exported.Where(a => a.TraceId.ToHexString() == handed.TraceId).ToList();
        Assert.All(spans, s => Assert.True(s.Recorded, $"{s.DisplayName} exported without flag 01"));
        var root = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal("client", root.GetTagItem(TradingAttributes.SamplingRule));
        Assert.Contains(spans, s => s.DisplayName == "order.receive" && s.ParentSpanId == root.SpanId);
        Assert.Contains(spans, s => s.DisplayName == "send orders.new" && s.ParentSpanId == root.SpanId);
        Assert.Contains(spans, s => s.DisplayName == "process orders.new" && s.Kind == ActivityKind.Consumer);
    }

    [Fact]
    public async Task An_order_no_rule_matches_carries_flags_00_and_exports_no_span_anywhere()
    {
        var handed = await SubmitAndConsumeAsync("ordinary-desk");

        Assert.EndsWith("-00", handed.Traceparent, StringComparison.Ordinal);
        Assert.False(ended[handed.TraceId], "the request's span was recorded-only, never sampled");
        Assert.DoesNotContain(exported, a => a.TraceId.ToHexString() == handed.TraceId);
    }

    /// <summary>Submits an order, then continues its traceparent like a consumer would; flushes the exporter.</summary>
    private async Task<Handed> SubmitAndConsumeAsync(string clientId)
    {
        Handed handed;
        // The test's own HttpClient is instrumented too (same process): it must not send a traceparent.
        using (SuppressInstrumentationScope.Begin())
        {
            using var response = await http.PostAsync($"/orders/{clientId}", null);
            response.EnsureSuccessStatusCode();
            handed = (await response.Content.ReadFromJsonAsync<Handed>())!;
        }

        var parent = TraceContextCarrier.Extract(new Dictionary<string, string> { ["traceparent"] = handed.Traceparent });
        using (MessagingTelemetry.Source.StartActivity("process orders.new", ActivityKind.Consumer, parent.ActivityContext))
        {
        }

        // The request's span ends just after the response is written: wait for it to end (exported or not).
        await Eventually.True(() => Task.FromResult(ended.ContainsKey(handed.TraceId)), TimeSpan.FromSeconds(10), "the request's span to end");
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(5000));
        return handed;
    }

    /// <summary>Trace ids of the server spans that ended, recorded-only ones included (they reach processors, not exporters).</summary>
    private sealed class EndedRequests(ConcurrentDictionary<string, bool> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.Kind == ActivityKind.Server)
            {
                ended[data.TraceId.ToHexString()] = data.Recorded;
            }
        }
    }
}
