using System.Net;
using System.Text.Json;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Load;

/// <summary>
/// After the drain: asks the gateway (<c>GET /orders/{id}</c>) about every accepted order whose outcome was not
/// seen, until each is final or the budget runs out. An order final there counts as completed (its notification
/// was missed); one still open when the budget ends — longer than any order's time in force — is lost.
/// </summary>
public sealed class OutcomeReconciler(HttpClient http, LoadTarget target, OrderLedger ledger, LoadMetrics metrics)
{
    public async Task<IReadOnlyList<PendingOrder>> ReconcileAsync(TimeSpan budget, Action<int> progress, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + budget;
        while (true)
        {
            var outstanding = ledger.Outstanding();
            progress(outstanding.Count);
            if (outstanding.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return outstanding;
            }

            await Parallel.ForEachAsync(outstanding, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (order, ct) =>
            {
                if (await StatusAsync(order, ct) is { } status && !status.Equals("ACCEPTED", StringComparison.OrdinalIgnoreCase)
                    && ledger.SettleWithoutNotification(order.OrderId))
                {
                    metrics.RecordSettledWithoutNotification(order, status);
                }
            });

            if (ledger.Pending > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private async Task<string?> StatusAsync(PendingOrder order, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.Gateway, $"/orders/{order.OrderId}"));
            request.Headers.Add(ClientKeys.ClientIdHeader, order.ClientId);
            request.Headers.Add(ClientKeys.ApiKeyHeader, target.ApiKey(order.ClientId));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return document.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
