using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost, started once per test collection: real redis-server, every service, the trace
/// store. The generator is off and venues never reject or fill partially, so each test controls its
/// own orders; messaging reclaims idle entries after 3 s so reclaim tests stay short.
/// </summary>
public class TradingAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly string[] Services = ResourceNames.Services;

    public DistributedApplication App { get; private set; } = null!;
    public HttpClient Gateway { get; private set; } = null!;
    /// <summary>The trace store, sending the operator key (its API refuses requests without it).</summary>
    public HttpClient TraceAnalytics { get; private set; } = null!;
    public HttpClient Notification { get; private set; } = null!;
    public ConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>The connection string the services get (password included).</summary>
    public string RedisConnectionString { get; private set; } = "";
    public string ClientKeySecret { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string ServiceKey { get; private set; } = "";
    public string OperatorKey { get; private set; } = "";
    public string DataRoot { get; } = Path.Combine(AppContext.BaseDirectory, "test-data", Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Settings a derived fixture adds to (or overrides in) the AppHost's arguments.</summary>
    protected virtual IEnumerable<string> Settings => [];

    /// <summary>The order streams' partitions in this app (<c>Messaging:Partitions</c>): where a client's streams and keys are.</summary>
    public virtual StreamPartitions Partitions => StreamPartitions.Single;

    /// <summary>A derived fixture's last word on the app before it is built (e.g. where services export).</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        string[] args =
        [
            "DcpPublisher:WaitForResourceCleanup=false",
            $"Redis:DataDir={Path.Combine(DataRoot, ResourceNames.Redis)}",
            $"TraceAnalytics:Store:DataDir={Path.Combine(DataRoot, "traces")}",
            "OrderFlow:Enabled=false",
            "Strategy:Enabled=false",
            $"{LocalEndpointsFile.ConfigKey}=",
            "Messaging:ClaimIdleTime=00:00:03",
            "Messaging:HousekeepingInterval=00:00:01",
            "Admin:Enabled=true",
            "Gateway:RateLimit:PermitsPerSecond=20",
            "Gateway:RateLimit:Burst=40",
            "Gateway:MaxStreamBacklog=60",
            "Execution:VenueBreakDuration=00:00:03",
            // A venue back from a fault is quoted again within ~2 s (feed reconnect backoff capped).
            "MarketData:Reconnect:MaxDelay=00:00:02",
            "TraceAnalytics:Alerts:EvaluationInterval=00:00:01",
            "TraceAnalytics:Alerts:Rules:5:Name=test-symbol-slow",
            "TraceAnalytics:Alerts:Rules:5:Stage=venue.match",
            "TraceAnalytics:Alerts:Rules:5:GroupBy=symbol",
            "TraceAnalytics:Alerts:Rules:5:Percentile=95",
            "TraceAnalytics:Alerts:Rules:5:ThresholdMs=300",
            "TraceAnalytics:Alerts:Rules:5:Window=00:00:15",
            "TraceAnalytics:Alerts:Rules:5:MinSamples=2",
            .. DeterministicVenues(),
            .. Settings,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TradingAspire_AppHost>(
            args, (options, _) => options.DisableDashboard = true, cts.Token);
        // No dashboard runs in tests: don't let services export to (and, on shutdown, wait for) one.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT")));
        }

        Configure(builder);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error));
        App = await builder.BuildAsync(cts.Token);
        await App.StartAsync(cts.Token);

        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        // Whichever way Redis was provided: wait for its server if the AppHost runs one, connect through
        // the connection string the services get.
        var server = TradingRedis.ServerResource(model);
        foreach (var service in server is null ? Services : Services.Prepend(server.Name))
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token).WaitAsync(StartTimeout, cts.Token);
        }

        ClientKeySecret = await ParameterValueAsync(ParameterNames.ClientKeySecret, cts.Token);
        AdminKey = await ParameterValueAsync(ParameterNames.AdminKey, cts.Token);
        OperatorKey = await ParameterValueAsync(ParameterNames.OperatorKey, cts.Token);
        Gateway = App.CreateHttpClient(ResourceNames.Gateway);
        TraceAnalytics = App.CreateHttpClient(ResourceNames.TraceAnalytics);
        TraceAnalytics.DefaultRequestHeaders.Add(OperatorKeyHeader, OperatorKey);
        Notification = App.CreateHttpClient(ResourceNames.Notification);
        RedisConnectionString = await TradingRedis.ConnectionResource(model).GetConnectionStringAsync(cts.Token)
            ?? throw new InvalidOperationException("No Redis connection string.");
        Redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString + ",allowAdmin=true");
        ServiceKey = await ParameterValueAsync(ParameterNames.ServiceKey, cts.Token);
    }

    /// <summary>The header the trace store's API wants the operator key in.</summary>
    public const string OperatorKeyHeader = TradingAspire.TraceAnalytics.Access.OperatorAccess.KeyHeader;

    private async Task<string> ParameterValueAsync(string name, CancellationToken cancellationToken)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == name);
        return (await parameter.GetValueAsync(cancellationToken))!;
    }

    /// <summary>An HTTP client of <paramref name="resource"/> authenticated as <paramref name="clientId"/>.</summary>
    public HttpClient ClientFor(string resource, string clientId)
    {
        var http = App.CreateHttpClient(resource);
        http.DefaultRequestHeaders.Add(ClientKeys.ClientIdHeader, clientId);
        http.DefaultRequestHeaders.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(ClientKeySecret, clientId));
        return http;
    }

    /// <summary>
    /// A client whose requests carry exactly the headers the test sets: the runtime adds no
    /// <c>traceparent</c>/<c>baggage</c> of its own (it would when any tracer provider in this process
    /// listens to HTTP client activities), so a test of what the gateway does with a caller's headers tests that.
    /// </summary>
    public HttpClient RawClientFor(string resource, string clientId)
    {
        var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = App.GetEndpoint(resource, "http") };
        http.DefaultRequestHeaders.Add(ClientKeys.ClientIdHeader, clientId);
        http.DefaultRequestHeaders.Add(ClientKeys.ApiKeyHeader, ClientKeys.Derive(ClientKeySecret, clientId));
        return http;
    }

    public HttpClient AdminClient(string resource)
    {
        var http = App.CreateHttpClient(resource);
        http.DefaultRequestHeaders.Add(AdminOptions.KeyHeader, AdminKey);
        return http;
    }

    private static IEnumerable<string> DeterministicVenues()
    {
        foreach (var venue in new[] { "binance", "kraken", "coinbase" })
        {
            yield return $"Exchanges:Venues:{venue}:RejectProbability=0";
            yield return $"Exchanges:Venues:{venue}:PartialFillProbability=0";
            yield return $"Exchanges:Venues:{venue}:OutlierProbability=0";
        }
    }

    /// <summary>Waits until a resource has stopped (exited, finished, or could not start).</summary>
    public Task WaitForStoppedAsync(string resource, CancellationToken cancellationToken) =>
        App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", cancellationToken);

    public async Task ExecuteCommandAsync(string resource, string command)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} on {resource} failed: {result.Message}");
    }

    public async Task<JsonElement> PostOrderAsync(string clientId, object body, string? idempotencyKey = null)
    {
        using var gateway = ClientFor(ResourceNames.Gateway, clientId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await gateway.SendAsync(request);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Polls GET /orders/{id} until the order is final.</summary>
    public async Task<JsonElement?> WaitForFinalAsync(string clientId, string orderId, TimeSpan? timeout = null)
    {
        using var gateway = ClientFor(ResourceNames.Gateway, clientId);
        var final = await Eventually.Get(async () =>
        {
            var order = await gateway.GetFromJsonAsync<JsonElement>($"/orders/{orderId}");
            return order.GetProperty("status").GetString() == "Accepted" ? null : new StrongBox<JsonElement>(order);
        }, timeout ?? TimeSpan.FromSeconds(30), $"order {orderId} to reach a final state");
        return final.Value;
    }

    /// <summary>Polls the trace store until the order's trace satisfies <paramref name="complete"/>.</summary>
    public async Task<TraceView> WaitForTraceAsync(string orderId, Func<TraceView, bool> complete, TimeSpan? timeout = null) =>
        await Eventually.Get(async () =>
        {
            using var response = await TraceAnalytics.GetAsync($"/api/orders/{orderId}/trace");
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var trace = TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>());
            return complete(trace) ? trace : null;
        }, timeout ?? TimeSpan.FromSeconds(45), $"the trace of order {orderId} in the trace store", TimeSpan.FromMilliseconds(250));

    public virtual async Task DisposeAsync()
    {
        Gateway?.Dispose();
        TraceAnalytics?.Dispose();
        Notification?.Dispose();
        await AppTeardown.DisposeAsync(Redis, App, DataRoot);
    }
}

[CollectionDefinition(Name)]
public sealed class TradingAppCollection : ICollectionFixture<TradingAppFixture>
{
    public const string Name = "Trading app";
}
