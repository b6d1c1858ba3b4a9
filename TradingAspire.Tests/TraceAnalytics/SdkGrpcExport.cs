using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TradingAspire.TraceAnalytics.Ingest;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The OpenTelemetry .NET SDK exporting over OTLP/gRPC, configured as a user would (endpoint, protocol, header).</summary>
internal static class SdkGrpcExport
{
    /// <summary>
    /// Ends a server span <c>order.route</c> with a client child <c>venue.match</c>, each exported as it ends (simple
    /// processor) to <paramref name="endpoint"/> with <paramref name="key"/>; returns the trace id.
    /// </summary>
    public static string OrderTrace(Uri endpoint, string key, string serviceName, string orderId = "ord-grpc-1")
    {
        using var source = new ActivitySource("TradingAspire.Tests.OtlpGrpc." + serviceName);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(source.Name)
            .AddOtlpExporter(options =>
            {
                options.Endpoint = endpoint;
                options.Protocol = OtlpExportProtocol.Grpc;
                options.Headers = $"{IngestOptions.ApiKeyHeader}={key}";
                options.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();

        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            using var root = source.StartActivity("order.route", ActivityKind.Server)!;
            root.SetTag("trading.order_id", orderId);
            using (var child = source.StartActivity("venue.match", ActivityKind.Client)!)
            {
                child.SetTag("trading.venue", "kraken");
            }

            return root.TraceId.ToHexString();
        }
        finally
        {
            Activity.Current = previous;
            provider.ForceFlush(10_000);
        }
    }
}
