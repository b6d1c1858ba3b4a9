using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost with head sampling at ratio 0 (<c>-- --Tracing:Sampling:Ratio=0</c>) and one client
/// on the always-sample list, every service exporting its metrics each second to an
/// <see cref="OtlpMetricsReceiver"/>: which traces exist is the sampler's business, what was counted the Meters'.
/// </summary>
public sealed class SampledTradingAppFixture : TradingAppFixture
{
    public const string RuleClient = "test-sampling-vip";

    public OtlpMetricsReceiver Metrics { get; private set; } = null!;

    protected override IEnumerable<string> Settings =>
    [
        "Tracing:Sampling:Ratio=0",
        $"Tracing:Sampling:AlwaysClients:0={RuleClient}",
    ];

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = Metrics.Endpoint;
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            }));
        }
    }

    public override async Task InitializeAsync()
    {
        Metrics = await OtlpMetricsReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Metrics.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SampledTradingAppCollection : ICollectionFixture<SampledTradingAppFixture>
{
    public const string Name = "Sampled trading app";
}
