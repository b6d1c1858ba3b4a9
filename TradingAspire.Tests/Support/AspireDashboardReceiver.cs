using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using TradingAspire.Tests.TraceAnalytics;

namespace TradingAspire.Tests.Support;

/// <summary>
/// A real OTLP receiver this project did not write: the Aspire dashboard (the <c>Aspire.Dashboard</c> executable the
/// AppHost SDK restores; its path is in the AppHost assembly's <c>aspiredashboardpath</c> metadata) run standalone on
/// free loopback ports — OTLP/gRPC and OTLP/HTTP with the key <see cref="OtlpKey"/> in <c>x-otlp-api-key</c>, and its
/// telemetry API (<c>GET /api/telemetry/traces/{id}</c>, key <see cref="ApiKey"/> in <c>x-api-key</c>) to read back
/// what it received. Its home (data-protection keys) is a temp folder; disposing kills it.
/// </summary>
public sealed class AspireDashboardReceiver : IAsyncDisposable
{
    public const string OtlpKey = "dashboard-otlp-key-3c9a";
    public const string ApiKey = "dashboard-api-key-71fe";

    private readonly Process process;
    private readonly TempDirectory home;
    private readonly StringBuilder output;
    private readonly HttpClient api;

    private AspireDashboardReceiver(Process process, TempDirectory home, StringBuilder output, Uri frontend, Uri grpc, Uri http)
    {
        this.process = process;
        this.home = home;
        this.output = output;
        GrpcEndpoint = grpc;
        HttpEndpoint = http;
        api = new HttpClient { BaseAddress = frontend };
        api.DefaultRequestHeaders.Add("x-api-key", ApiKey);
    }

    /// <summary>OTLP/gRPC, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>OTLP/HTTP (path <c>/v1/traces</c>).</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>What the dashboard printed (for failure messages).</summary>
    public string Output
    {
        get { lock (output) { return output.ToString(); } }
    }

    public static async Task<AspireDashboardReceiver> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var home = new TempDirectory();
            var output = new StringBuilder();
            var (frontend, grpc, http) = (FreeLoopbackUrl(), FreeLoopbackUrl(), FreeLoopbackUrl());
            var process = Start(home.Path, output, frontend, grpc, http);
            var dashboard = new AspireDashboardReceiver(process, home, output, frontend, grpc, http);
            try
            {
                await Eventually.True(dashboard.IsReadyAsync, TimeSpan.FromSeconds(60), "the Aspire dashboard's telemetry API");
                return dashboard;
            }
            catch (Exception) when (attempt < 3 && process.HasExited)
            {
                await dashboard.DisposeAsync(); // most likely a port taken meanwhile: try others
            }
            catch (Exception ex)
            {
                var printed = dashboard.Output;
                await dashboard.DisposeAsync();
                throw new InvalidOperationException($"The Aspire dashboard did not start: {ex.Message}\n{printed}", ex);
            }
        }
    }

    /// <summary>The spans of the trace as the dashboard's API returns them; empty while it has none.</summary>
    public async Task<IReadOnlyList<DashboardSpan>> GetTraceAsync(string traceId)
    {
        using var response = await api.GetAsync($"/api/telemetry/traces/{traceId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return DashboardSpan.Read(body.GetProperty("data"));
    }

    private async Task<bool> IsReadyAsync()
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The Aspire dashboard exited with {process.ExitCode}.");
        }

        using var response = await api.GetAsync("/api/telemetry/resources");
        return response.IsSuccessStatusCode;
    }

    private static Process Start(string home, StringBuilder output, Uri frontend, Uri grpc, Uri http)
    {
        var start = new ProcessStartInfo(DashboardPath())
        {
            WorkingDirectory = home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = home;
        start.Environment["ASPNETCORE_URLS"] = frontend.ToString();
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = grpc.ToString();
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = http.ToString();
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        start.Environment["DASHBOARD__OTLP__AUTHMODE"] = "ApiKey";
        start.Environment["DASHBOARD__OTLP__PRIMARYAPIKEY"] = OtlpKey;
        start.Environment["DASHBOARD__API__ENABLED"] = "true";
        start.Environment["DASHBOARD__API__AUTHMODE"] = "ApiKey";
        start.Environment["DASHBOARD__API__PRIMARYAPIKEY"] = ApiKey;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>The dashboard the AppHost SDK restored (the AppHost assembly records its path).</summary>
    private static string DashboardPath()
    {
        var appHost = Assembly.Load("TradingAspire.AppHost");
        var path = appHost.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "aspiredashboardpath")?.Value;
        return path is not null && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"No Aspire dashboard at '{path}' (restore the AppHost: dotnet build TradingAspire.AppHost).");
    }

    private static Uri FreeLoopbackUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        process.Dispose();
        home.Dispose();
    }
}

/// <summary>A span as the Aspire dashboard's telemetry API returns it (OTLP JSON; it renders every attribute value as a string).</summary>
public sealed record DashboardSpan(
    string ServiceName,
    string ScopeName,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    ulong StartNanos,
    ulong EndNanos,
    int StatusCode,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> LinkedSpanIds)
{
    public static IReadOnlyList<DashboardSpan> Read(JsonElement data)
    {
        var spans = new List<DashboardSpan>();
        foreach (var resource in data.GetProperty("resourceSpans").EnumerateArray())
        {
            var service = ReadAttributes(resource.GetProperty("resource")).GetValueOrDefault("service.name", "");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                var scopeName = scope.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new DashboardSpan(
                        service,
                        scopeName,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "",
                        span.GetProperty("name").GetString()!,
                        span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0,
                        ulong.Parse(span.GetProperty("startTimeUnixNano").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                        ulong.Parse(span.GetProperty("endTimeUnixNano").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                        span.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                        ReadAttributes(span),
                        List(span, "events", e => e.GetProperty("name").GetString()!),
                        List(span, "links", l => l.GetProperty("spanId").GetString()!)));
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value");
                attributes[attribute.GetProperty("key").GetString()!] =
                    value.TryGetProperty("stringValue", out var text) ? text.GetString() ?? "" : value.ToString();
            }
        }

        return attributes;
    }

    private static IReadOnlyList<string> List(JsonElement span, string property, Func<JsonElement, string> read) =>
        span.TryGetProperty(property, out var items) ? items.EnumerateArray().Select(read).ToArray() : [];
}
