namespace TradingAspire.Load;

/// <summary>The tool's HTTP clients: pooled connections without a per-host cap, so the sender never queues behind its own pool.</summary>
public static class LoadHttp
{
    public static HttpClient Client(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = int.MaxValue,
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
