namespace TradingAspire.Load;

/// <summary>
/// The tool's HTTP clients: pooled connections, capped per host (<see cref="LoadSettings.MaxConnections"/>). An
/// order that waits for a connection waits in the tool's own pool. It is timed from its intended send time, so
/// that wait counts in its latency like any other and hides nothing (no coordinated omission).
/// </summary>
public static class LoadHttp
{
    public static HttpClient Client(TimeSpan timeout, int maxConnections = int.MaxValue) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = maxConnections,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = timeout };

    public static async Task EnsureHealthyAsync(HttpClient http, Uri service, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(service, "/health"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new LoadSetupException($"The {name} at {service} is not healthy ({(int)response.StatusCode}): wait until the dashboard shows it Running/Healthy.");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new LoadSetupException($"The {name} at {service} does not answer ({ex.HttpRequestError}): is the AppHost running?");
        }
    }
}
