using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Sampling;

/// <summary>
/// <c>Tracing:Enabled=false</c> (what the benchmarks run as "tracing off") leaves a service without any tracer
/// provider — not even the one the Redis client integration would add for its commands — while metrics stay.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TracingSwitchTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void A_service_has_a_tracer_provider_only_while_tracing_is_enabled(string? enabled, bool expected)
    {
        using var host = BuildService(enabled);

        Assert.Equal(expected, host.Services.GetService<TracerProvider>() is not null);
        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void A_tracing_switch_that_is_not_a_boolean_is_refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => BuildService("sometimes").Dispose());
        Assert.Contains(TelemetrySetup.TracingEnabledKey, ex.Message, StringComparison.Ordinal);
    }

    private static IHost BuildService(string? enabled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never connected to: building the host does not open the connection.
            ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false",
            [TelemetrySetup.TracingEnabledKey] = enabled,
        });
        builder.AddServiceDefaults();
        builder.AddRedisStreams();
        return builder.Build();
    }
}
