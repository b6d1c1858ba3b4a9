using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics;
using TradingAspire.TraceAnalytics.Access;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The real trace-analytics service (same wiring as Program.cs) on a loopback port of a real Kestrel, its
/// DuckDB store in a temp folder and its page served from the repository's <c>wwwroot</c>. It has an
/// operator key and an ingest key unless a setting says otherwise (a null value removes a setting).
/// </summary>
public sealed class TraceAnalyticsServer : IAsyncDisposable
{
    public const string OperatorKey = "test-operator-key-5f0c2a";
    public const string IngestKey = "test-ingest-key-9b1d4e";

    private readonly TempDirectory directory;
    private readonly WebApplication app;
    private readonly List<HttpClient> clients = [];

    private TraceAnalyticsServer(TempDirectory directory, WebApplication app, int? grpcPort)
    {
        this.directory = directory;
        this.app = app;
        BaseAddress = new Uri(app.Urls.First(url => grpcPort is null || new Uri(url).Port != grpcPort));
        GrpcAddress = grpcPort is { } port ? new Uri($"http://127.0.0.1:{port}") : null;
        Client = NewClient((OperatorAccess.KeyHeader, OperatorKey));
        Anonymous = NewClient();
        Exporter = NewClient((IngestOptions.ApiKeyHeader, IngestKey));
    }

    public Uri BaseAddress { get; }

    /// <summary>The OTLP/gRPC listener (HTTP/2 cleartext), when the server was started with one.</summary>
    public Uri? GrpcAddress { get; }

    /// <summary>Sends the operator key.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no key.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Sends the ingest key, like an OTLP exporter.</summary>
    public HttpClient Exporter { get; }

    public IServiceProvider Services => app.Services;

    public DuckDbTraceStore Store => app.Services.GetRequiredService<DuckDbTraceStore>();

    public TraceDatabase Database => app.Services.GetRequiredService<TraceDatabase>();

    public static async Task<TraceAnalyticsServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = new TempDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            WebRootPath = PageRoot(),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var configuration = new Dictionary<string, string?>
        {
            ["TraceAnalytics:Store:DataDir"] = directory.Path,
            ["TraceAnalytics:Api:OperatorKey"] = OperatorKey,
            ["TraceAnalytics:Ingest:ApiKey"] = IngestKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in configuration.Where(setting => setting.Value is not null))
        {
            builder.Configuration[key] = value;
        }

        builder.AddTraceAnalyticsService();
        var app = builder.Build();
        app.MapTraceAnalyticsService();
        await app.StartAsync();
        return new TraceAnalyticsServer(directory, app, OtlpGrpcPort.Read(app.Configuration));
    }

    /// <summary>
    /// The server with OTLP/gRPC ingest on a free loopback port (<c>TraceAnalytics:Ingest:GrpcPort</c>; the service
    /// adds the listener itself). The port is free when picked; should another process take it before Kestrel
    /// binds, the start is tried again on another.
    /// </summary>
    public static async Task<TraceAnalyticsServer> StartWithGrpcAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var withPort = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["TraceAnalytics:Ingest:GrpcPort"] = FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            try
            {
                return await StartAsync(withPort);
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Makes the store unable to append for real: its table moves away (<see cref="RepairStoreAsync"/> brings it back).</summary>
    public Task BreakStoreAsync() =>
        Database.ExecuteAsync(new DuckDbQuery("CREATE TABLE parked AS SELECT * FROM otel_traces; DROP TABLE otel_traces;"));

    public Task RepairStoreAsync() =>
        Database.ExecuteAsync(new DuckDbQuery("CREATE TABLE otel_traces AS SELECT * FROM parked; DROP TABLE parked;"));

    /// <summary>A client with the given headers and no cookie jar; it does not follow redirects.</summary>
    public HttpClient NewClient(params (string Name, string Value)[] headers)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.Add(name, value);
        }

        clients.Add(client);
        return client;
    }

    /// <summary>A client that keeps cookies like a browser (and does not follow redirects).</summary>
    public HttpClient NewBrowser(CookieContainer cookies)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        clients.Add(client);
        return client;
    }

    /// <summary>POSTs an OTLP protobuf export with the ingest key.</summary>
    public async Task<HttpResponseMessage> ExportAsync(ExportTraceServiceRequest request)
    {
        var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new("application/x-protobuf");
        return await Exporter.PostAsync(OtlpIngestEndpoints.TracesPath, content);
    }

    /// <summary>The repository's <c>Services/TraceAnalytics/wwwroot</c>, found from the test's bin folder.</summary>
    private static string PageRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TradingAspire.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? Path.Combine(AppContext.BaseDirectory, "wwwroot")
            : Path.Combine(directory.FullName, "Services", "TraceAnalytics", "wwwroot");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await app.StopAsync();
        await app.DisposeAsync();
        directory.Dispose();
    }
}

/// <summary>One <see cref="TraceAnalyticsServer"/> with both keys and OTLP/gRPC ingest, shared by a test class.</summary>
public sealed class TraceAnalyticsGrpcServerFixture : IAsyncLifetime
{
    public TraceAnalyticsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TraceAnalyticsServer.StartWithGrpcAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One <see cref="TraceAnalyticsServer"/> with both keys, shared by a test class.</summary>
public sealed class TraceAnalyticsServerFixture : IAsyncLifetime
{
    public TraceAnalyticsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TraceAnalyticsServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
