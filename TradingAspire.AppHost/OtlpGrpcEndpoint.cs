using Microsoft.Extensions.Configuration;

namespace TradingAspire.AppHost;

/// <summary>
/// The trace store's OTLP/gRPC ingest as the endpoint <c>otlp-grpc</c>: HTTP/2 cleartext on port
/// <c>TraceAnalytics:Ingest:GrpcPort</c> (default 4317, OTLP/gRPC's standard port; 0 lets Aspire pick one),
/// proxied to the port the service listens on, which it gets as <c>TraceAnalytics__Ingest__GrpcPort</c>.
/// Under Aspire.Hosting.Testing the proxy port is randomized, so tests never clash with a running AppHost.
/// </summary>
public static class OtlpGrpcEndpoint
{
    public const string EndpointName = "otlp-grpc";
    public const string PortSetting = "TraceAnalytics:Ingest:GrpcPort";
    public const int DefaultPort = 4317;

    /// <summary>Call after <c>WithConfigurationSection("TraceAnalytics")</c>: the service must get the target port, not the AppHost's setting.</summary>
    public static IResourceBuilder<ProjectResource> WithOtlpGrpcIngest(this IResourceBuilder<ProjectResource> service)
    {
        var port = service.ApplicationBuilder.Configuration.GetValue(PortSetting, DefaultPort);
        service.WithHttpEndpoint(port: port > 0 ? port : null, name: EndpointName)
            .WithEndpoint(EndpointName, endpoint => endpoint.Transport = "http2");
        var endpoint = service.GetEndpoint(EndpointName);
        return service
            .WithEnvironment("TraceAnalytics__Ingest__GrpcPort", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.TargetPort)}"))
            .WithUrlForEndpoint(EndpointName, url => url.DisplayText = $"OTLP/gRPC ingest (header {TraceAnalytics.KeyHeader}: Parameters → {ParameterNames.IngestKey})");
    }
}
