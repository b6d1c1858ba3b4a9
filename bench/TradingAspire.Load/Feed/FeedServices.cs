using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TradingAspire.Load.Feed;

/// <summary>
/// The processes of the feed benchmark, without the AppHost: a private redis-server (no persistence), an OTLP sink, the
/// exchanges service, and one marketdata instance at a time (started per run, monitoring on or off), all from the
/// built dlls on loopback, configured the way the AppHost configures them.
/// </summary>
public sealed class FeedServices : IAsyncDisposable
{
    public const string ServiceKey = "feed-bench-service-key";
    public const string AdminKey = "feed-bench-admin-key";

    private readonly string repository;
    private readonly string configuration;
    private readonly string output;
    private readonly string venue;
    private readonly ServiceProcess redis;
    private readonly OtlpSink sink;
    private readonly int redisPort;
    private int marketDataRuns;

    private FeedServices(string repository, string configuration, string output, string venue, ServiceProcess redis, int redisPort, OtlpSink sink,
        ServiceProcess exchanges, Uri exchangesUrl)
    {
        this.repository = repository;
        this.configuration = configuration;
        this.output = output;
        this.venue = venue;
        this.redis = redis;
        this.redisPort = redisPort;
        this.sink = sink;
        Exchanges = exchanges;
        ExchangesUrl = exchangesUrl;
    }

    public ServiceProcess Exchanges { get; }

    public Uri ExchangesUrl { get; }

    public OtlpSink Sink => sink;

    public static async Task<FeedServices> StartAsync(string repository, string configuration, string output, string venue, int tickMs, CancellationToken cancellationToken)
    {
        var redisPort = FreePort();
        var redis = ServiceProcess.Start("redis-server", new ProcessStartInfo("redis-server",
            ["--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]), Path.Combine(output, "redis.log"));
        var sink = new OtlpSink(FreePort());
        var exchangesPort = FreePort();
        var exchangesUrl = new Uri($"http://127.0.0.1:{exchangesPort}/");
        var environment = Common(redisPort, exchangesPort, sink, "exchanges");
        environment["Admin__Enabled"] = "true";
        environment["Admin__ApiKey"] = AdminKey;
        environment["Exchanges__Feed__Backpressure"] = "true";
        environment["Exchanges__Feed__TickMs"] = tickMs.ToString();
        var exchanges = ServiceProcess.StartDotnet("exchanges", Dll(repository, configuration, "Exchanges"), environment, Path.Combine(output, "exchanges.log"));
        var services = new FeedServices(repository, configuration, output, venue, redis, redisPort, sink, exchanges, exchangesUrl);
        try
        {
            using var http = new HttpClient { BaseAddress = exchangesUrl, Timeout = TimeSpan.FromSeconds(2) };
            await WaitUntilAsync(async () => (await http.GetAsync("/alive", cancellationToken)).IsSuccessStatusCode, exchanges, TimeSpan.FromSeconds(60), cancellationToken);
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a marketdata instance following the one venue, with monitoring on or off, and waits for its <c>/alive</c>.</summary>
    public async Task<(ServiceProcess Process, Uri Url)> StartMarketDataAsync(bool monitoring, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var environment = Common(redisPort, port, sink, "marketdata");
        environment["MarketData__ExchangesUrl"] = ExchangesUrl.ToString();
        environment["MarketData__Venues__0"] = venue;
        environment["MarketData__Monitoring__Enabled"] = monitoring ? "true" : "false";
        var run = ++marketDataRuns;
        var process = ServiceProcess.StartDotnet("marketdata", Dll(repository, configuration, "MarketData"), environment,
            Path.Combine(output, $"marketdata-{run}-{(monitoring ? "on" : "off")}.log"));
        var url = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
            await WaitUntilAsync(async () => (await http.GetAsync("/alive", cancellationToken)).IsSuccessStatusCode, process, TimeSpan.FromSeconds(60), cancellationToken);
            return (process, url);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the services get from the AppHost: address, Redis, the service key, the OTLP exporter's settings.</summary>
    private static Dictionary<string, string> Common(int redisPort, int port, OtlpSink sink, string service) => new()
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__redis"] = $"127.0.0.1:{redisPort}",
        ["ServiceAuth__Key"] = ServiceKey,
        ["OTEL_SERVICE_NAME"] = service,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // Aspire's development defaults: export every second.
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
    };

    private static string Dll(string repository, string configuration, string service) =>
        Path.Combine(repository, "Services", service, "bin", configuration, "net10.0", $"TradingAspire.{service}.dll");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> ready, ServiceProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new LoadSetupException($"{process.Name} exited while starting; see its log.");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new LoadSetupException($"{process.Name} did not answer /alive within {timeout.TotalSeconds:0} s; see its log.");
    }

    public async ValueTask DisposeAsync()
    {
        await Exchanges.DisposeAsync();
        sink.Dispose();
        await redis.DisposeAsync();
    }
}
