using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Load;

/// <summary>
/// Sends order <c>i</c> at its intended time <c>start + i / rate</c>, whether or not earlier orders were answered
/// (open loop: a slow server does not slow the sender down and hide its own slowness). Every millisecond the
/// sender posts all orders that are due; each answer is timed from the order's intended time.
/// </summary>
public sealed class OpenLoopSender(HttpClient http, LoadTarget target, LoadOrders orders, OrderLedger ledger, LoadMetrics metrics)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri ordersUri = new(target.Gateway, "/orders");
    private long inFlight;

    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>Sends <paramref name="total"/> orders at <paramref name="rate"/>/s; the first <paramref name="warmup"/> are left out of the summary.</summary>
    public async Task RunAsync(int rate, long total, long warmup, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var ticksPerOrder = (double)Stopwatch.Frequency / rate;
        long next = 0;
        while (next < total && !cancellationToken.IsCancellationRequested)
        {
            var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / ticksPerOrder) + 1);
            for (; next < due; next++)
            {
                _ = SendAsync(orders[next], start + (long)(next * ticksPerOrder), next >= warmup);
            }

            await Task.Delay(1, CancellationToken.None);
        }
    }

    private async Task SendAsync(LoadOrder order, long intended, bool measured)
    {
        Interlocked.Increment(ref inFlight);
        metrics.RecordSent(measured);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ordersUri) { Content = new ByteArrayContent(order.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add(ClientKeys.ClientIdHeader, order.ClientId);
            request.Headers.Add(ClientKeys.ApiKeyHeader, order.ApiKey);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.Accepted && Property(body, "orderId") is { } orderId)
            {
                metrics.RecordAccepted(intended, measured);
                ledger.Accepted(new PendingOrder(orderId, order.ClientId, intended, measured));
            }
            else
            {
                metrics.RecordError($"HTTP {(int)response.StatusCode} {Property(body, "title") ?? response.ReasonPhrase}");
            }
        }
        catch (TaskCanceledException)
        {
            metrics.RecordError("timeout (no answer in 30 s)");
        }
        catch (HttpRequestException ex)
        {
            metrics.RecordError($"connection: {ex.HttpRequestError}");
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static string? Property(byte[] json, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
