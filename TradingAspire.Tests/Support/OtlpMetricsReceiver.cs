using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace TradingAspire.Tests.Support;

/// <summary>
/// An OTLP/HTTP endpoint on loopback that the AppHost's services export to (protobuf): it keeps the
/// latest cumulative value of every counter and histogram by service, metric and attributes, so a test
/// reads what the services' Meters counted. Traces and logs sent to it are accepted and ignored.
/// </summary>
public sealed class OtlpMetricsReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<(string Service, string Metric, string Attributes), Point> points = new();

    private sealed record Point(IReadOnlyDictionary<string, string> Attributes, double Value);

    private OtlpMetricsReceiver(WebApplication app) => this.app = app;

    public string Endpoint => app.Urls.First();

    public static async Task<OtlpMetricsReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpMetricsReceiver(app);
        app.MapPost("/v1/metrics", receiver.ReceiveAsync);
        app.MapPost("/v1/traces", () => Results.Ok());
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync();
        return receiver;
    }

    /// <summary>
    /// A counter's total, or a histogram's count of measurements, that <paramref name="service"/> exported
    /// for <paramref name="metric"/>, over the attribute sets <paramref name="where"/> accepts.
    /// </summary>
    public double Total(string service, string metric, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        points.Where(p => p.Key.Service == service && p.Key.Metric == metric && (where is null || where(p.Value.Attributes)))
            .Sum(p => p.Value.Value);

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var export = ExportMetricsServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resource in export.ResourceMetrics)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var metric in resource.ScopeMetrics.SelectMany(s => s.Metrics))
            {
                switch (metric.DataCase)
                {
                    case Metric.DataOneofCase.Sum:
                        foreach (var point in metric.Sum.DataPoints)
                        {
                            Keep(service, metric.Name, point.Attributes, point.HasAsInt ? point.AsInt : point.AsDouble);
                        }

                        break;
                    case Metric.DataOneofCase.Histogram:
                        foreach (var point in metric.Histogram.DataPoints)
                        {
                            Keep(service, metric.Name, point.Attributes, point.Count);
                        }

                        break;
                }
            }
        }

        return Results.Ok();
    }

    private void Keep(string service, string metric, IEnumerable<KeyValue> attributes, double value)
    {
        var tags = attributes.ToDictionary(a => a.Key, a => a.Value is null ? "" : Text(a.Value), StringComparer.Ordinal);
        var key = string.Join(",", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        points[(service, metric, key)] = new Point(tags, value);
    }

    private static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
