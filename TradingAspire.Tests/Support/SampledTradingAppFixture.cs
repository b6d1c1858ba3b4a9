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

/// <summary>
/// Runs alone, after the parallel collections: a second AppHost beside the shared one would double the
/// load on 2 cores, and tests that find a service's process by its executable (<see cref="ServiceProcess"/>,
/// kill -9) could hit this app's copy instead.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampledTradingAppCollection : ICollectionFixture<SampledTradingAppFixture>
{
    public const string Name = "Sampled trading app";
}
