using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;

namespace TradingAspire.Gateway;

/// <summary>
/// Accepts whose outcome the gateway could not learn in time (Redis unreachable for the whole
/// resolve budget; the client was answered 504 with the order id): resolved in the background as
/// soon as Redis answers — the order is either there, or fenced off so that it never appears.
/// </summary>
public sealed partial class UnresolvedAccepts(OrderAcceptance acceptance, IOptions<AcceptOptions> options, ILogger<UnresolvedAccepts> logger)
    : BackgroundService
{
    private readonly Channel<(string ClientId, string OrderId)> pending = Channel.CreateBounded<(string ClientId, string OrderId)>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    private int count;

    /// <summary>Orders still waiting to be resolved.</summary>
    public int Count => Volatile.Read(ref count);

    public void Add(string clientId, string orderId)
    {
        if (pending.Writer.TryWrite((clientId, orderId)))
        {
            Interlocked.Increment(ref count);
        }
        else
        {
            LogQueueFull(orderId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (clientId, orderId) in pending.Reader.ReadAllAsync(stoppingToken))
            {
                await ResolveAsync(clientId, orderId, stoppingToken);
                Interlocked.Decrement(ref count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        while (pending.Reader.TryRead(out var left))
        {
            LogLeftUnresolved(left.OrderId);
        }
    }

    private async Task ResolveAsync(string clientId, string orderId, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (SuppressInstrumentationScope.Begin())
                {
                    var stored = await acceptance.ResolveAsync(clientId, orderId).WaitAsync(options.Value.AcceptTimeout, stoppingToken);
                    LogResolved(orderId, stored ? "accepted" : "fenced off (never accepted)");
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (attempt == 1 || attempt % 30 == 0)
                {
                    LogStillUnresolved(ex, orderId, attempt);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} (answered 504) resolved: {Outcome}")]
    private partial void LogResolved(string orderId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} still unresolved after {Attempts} attempts")]
    private partial void LogStillUnresolved(Exception ex, string orderId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} left unresolved at shutdown: GET /orders/{OrderId} tells whether it was accepted")]
    private partial void LogLeftUnresolved(string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Too many unresolved accepts; order {OrderId} is not tracked (GET /orders/{OrderId} tells whether it was accepted)")]
    private partial void LogQueueFull(string orderId);
}

/// <summary>How long the gateway waits on Redis for one accept (section <c>Gateway</c>).</summary>
public sealed class AcceptOptions
{
    /// <summary>The accept script's reply must arrive within this; else its outcome is resolved.</summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long resolving an accept whose reply was lost may take before the client is answered 504.</summary>
    public TimeSpan AcceptResolveTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
