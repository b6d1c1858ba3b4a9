using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Load;

/// <summary>
/// Holds one Server-Sent Events stream per client (<c>GET /notifications/{clientId}</c>) and hands every outcome
/// to the <see cref="OrderLedger"/> with the time it arrived. A dropped stream reconnects; outcomes published
/// while it was away are found later by asking the gateway, so none is taken for lost.
/// </summary>
public sealed class OutcomeListener(HttpClient http, LoadTarget target, OrderLedger ledger, LoadMetrics metrics)
{
    private long reconnects;

    public long Reconnects => Interlocked.Read(ref reconnects);

    /// <summary>Subscribes every client and returns once each stream said <c>subscribed</c>; listening goes on until <paramref name="stop"/>.</summary>
    public async Task<Task> StartAsync(IEnumerable<string> clientIds, CancellationToken stop)
    {
        var ready = new List<Task>();
        var running = new List<Task>();
        foreach (var clientId in clientIds)
        {
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ready.Add(subscribed.Task);
            running.Add(ListenAsync(clientId, subscribed, stop));
        }

        await Task.WhenAll(ready).WaitAsync(TimeSpan.FromSeconds(30), stop);
        return Task.WhenAll(running);
    }

    private async Task ListenAsync(string clientId, TaskCompletionSource subscribed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Notifications, $"/notifications/{clientId}"));
                request.Headers.Add(ClientKeys.ClientIdHeader, clientId);
                request.Headers.Add(ClientKeys.ApiKeyHeader, target.ApiKey(clientId));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                if (!response.IsSuccessStatusCode)
                {
                    subscribed.TrySetException(new LoadSetupException(
                        $"The notification service answered {(int)response.StatusCode} to {clientId}'s subscription: {await response.Content.ReadAsStringAsync(stop)}"));
                    return;
                }

                await using var stream = await response.Content.ReadAsStreamAsync(stop);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop))
                {
                    var arrived = Stopwatch.GetTimestamp();
                    if (item.EventType == "subscribed")
                    {
                        subscribed.TrySetResult();
                        continue;
                    }

                    if (OrderId(item.Data) is { } orderId)
                    {
                        ledger.Outcome(orderId, item.EventType, arrived);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                if (!subscribed.Task.IsCompleted)
                {
                    subscribed.TrySetException(new LoadSetupException($"Cannot subscribe to {target.Notifications}: {ex.Message}"));
                    return;
                }
            }

            Interlocked.Increment(ref reconnects);
            metrics.RecordError("notification stream dropped (reconnected)");
            await Task.Delay(TimeSpan.FromMilliseconds(200), stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static string? OrderId(string data)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(data));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("orderId"))
            {
                return reader.Read() ? reader.GetString() : null;
            }
        }

        return null;
    }
}
