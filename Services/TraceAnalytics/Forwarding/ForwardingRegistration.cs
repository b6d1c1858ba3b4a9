using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>Makes the sender for a target: OTLP/gRPC or OTLP/HTTP (tests pass their own).</summary>
public delegate IOtlpTraceSender OtlpTraceSenderFactory(ForwardTarget target);

public static class ForwardingRegistration
{
    public const string HttpClientName = "trace-forward";

    /// <summary>
    /// The forwarder to an external tracing backend (settings <c>TraceAnalytics:Forward</c>; off without an endpoint,
    /// a wrong endpoint, protocol or header list stops the service at start) and its metrics. Register it before the
    /// writer and the tail sampler: hosted services stop in reverse order, so it still takes what they flush.
    /// </summary>
    public static IHostApplicationBuilder AddTraceForwarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardOptions>().BindConfiguration(ForwardOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardOptions>, ForwardOptionsValidation>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Timeouts are per attempt (the sender's); the factory's request logs would repeat every batch.
        builder.Services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        builder.Services.AddSingleton<ForwardMetrics>();
        builder.Services.AddSingleton<OtlpTraceSenderFactory>(sp => target =>
        {
            var timeout = TimeSpan.FromSeconds(Math.Max(0.1, sp.GetRequiredService<IOptions<ForwardOptions>>().Value.TimeoutSeconds));
            return target.Protocol == ForwardProtocol.Grpc
                ? new OtlpGrpcTraceSender(target, timeout)
                : new OtlpHttpTraceSender(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), target, timeout);
        });
        builder.Services.AddSingleton<TraceForwarder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TraceForwarder>());
        return builder;
    }

    /// <summary>Refuses a forwarding section whose endpoint, protocol or headers cannot be used, saying which.</summary>
    private sealed class ForwardOptionsValidation : IValidateOptions<ForwardOptions>
    {
        public ValidateOptionsResult Validate(string? name, ForwardOptions options)
        {
            if (!options.Enabled)
            {
                return ValidateOptionsResult.Success;
            }

            try
            {
                ForwardTarget.Parse(options);
                return options.MaxQueue > 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail($"{ForwardOptions.Section}:MaxQueue must be above 0");
            }
            catch (FormatException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
