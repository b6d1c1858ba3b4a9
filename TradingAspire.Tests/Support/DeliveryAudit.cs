using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Notification;
using TradingAspire.OrderStore;

namespace TradingAspire.Tests.Support;

/// <summary>
/// What became of a set of acknowledged orders: how each ended (Filled, Rejected, Failed — a Failed
/// order is final, not delivered), lost (never final), duplicated (executed or notified more than
/// once), notified exactly once, and whether its trace is complete.
/// </summary>
public sealed record DeliveryReport(
    string Fault, int Sent, int Acknowledged, int Filled, int Rejected, int Failed, int Lost, int Duplicated, int NotifiedOnce, int TracesComplete)
{
    /// <summary>What the process had in hand when it died (e.g. "4 entries of orders.new, all reclaimed").</summary>
    public string InFlight { get; init; } = "—";

    public int Final => Filled + Rejected + Failed;

    public const string Header =
        "| fault | in flight when it died | sent | acknowledged | Filled | Rejected | Failed | lost | duplicated | notified once | traces complete |\n|---|---|---|---|---|---|---|---|---|---|---|\n";

    public string Row => $"| {Fault} | {InFlight} | {Sent} | {Acknowledged} | {Filled} | {Rejected} | {Failed} | {Lost} | {Duplicated} | {NotifiedOnce} | {TracesComplete} |";
}

public static class DeliveryAudit
{
    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) for every acknowledged order to be final, then counts:
    /// lost = never final; duplicated = more than one executed child order at the venues or more
    /// than one notification; traces complete = one trace from gateway to notification.
    /// </summary>
    public static async Task<DeliveryReport> AuditAsync(TradingAppFixture app, string fault, OrderDriver driver, TimeSpan timeout, string inFlight = "—")
    {
        var final = new Dictionary<string, JsonElement>();
        try
        {
            await Eventually.True(async () =>
            {
                foreach (var (orderId, client) in driver.Acknowledged.Where(a => !final.ContainsKey(a.Key)))
                {
                    using var http = app.ClientFor(ResourceNames.Gateway, client);
                    var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}");
                    if (order.GetProperty("status").GetString() != "Accepted")
                    {
                        final[orderId] = order;
                    }
                }

                return final.Count == driver.Acknowledged.Count;
            }, timeout, "every acknowledged order to be final");
        }
        catch (TimeoutException)
        {
            // Reported below as lost orders, which the test then asserts on.
        }

        var db = app.Redis.GetDatabase();
        var masters = app.Redis.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToList(); // one, or a cluster's masters
        var duplicated = 0;
        var notifiedOnce = 0;
        var notifications = new Dictionary<string, int>();
        foreach (var client in driver.Acknowledged.Values.Distinct())
        {
            foreach (var value in await db.ListRangeAsync(NotificationChannel.RecentKey(app.Partitions.TagOf(client), client)))
            {
                var id = JsonSerializer.Deserialize<JsonElement>(value.ToString()).GetProperty("orderId").GetString()!;
                notifications[id] = notifications.GetValueOrDefault(id) + 1;
            }
        }

        foreach (var (orderId, client) in driver.Acknowledged)
        {
            var executed = 0;
            foreach (var key in await KeysAsync(masters, $"venue:exec:*:{orderId}-*"))
            {
                var value = (await db.StringGetAsync(key)).ToString();
                if (value.Contains("\"Filled\"", StringComparison.Ordinal) || value.Contains("\"PartiallyFilled\"", StringComparison.Ordinal))
                {
                    executed++;
                }
            }

            // Notified: the order's own count of notifications it caused, and its entries in the client's recent list.
            var counted = (long?)await db.HashGetAsync(OrderKeys.Order(app.Partitions.TagOf(client), orderId), "notifications") ?? 0;
            var listed = notifications.GetValueOrDefault(orderId);
            if (executed > 1 || listed > 1 || counted > 1)
            {
                duplicated++;
            }

            if (counted == 1 && listed == 1)
            {
                notifiedOnce++;
            }
        }

        // Spans leave each service in batches: give the last ones a moment to arrive.
        var complete = new HashSet<string>();
        try
        {
            await Eventually.True(async () =>
            {
                foreach (var orderId in driver.Acknowledged.Keys.Where(id => !complete.Contains(id)))
                {
                    using var response = await app.TraceAnalytics.GetAsync($"/api/orders/{orderId}/trace");
                    if (response.IsSuccessStatusCode)
                    {
                        var trace = TraceView.Parse(await response.Content.ReadFromJsonAsync<JsonElement>());
                        if (trace.Has("order.receive") && trace.Has("order.notify") && trace.Spans.All(s => s.TraceId == trace.TraceId))
                        {
                            complete.Add(orderId);
                        }
                    }
                }

                return complete.Count == driver.Acknowledged.Count;
            }, TimeSpan.FromSeconds(15), "every acknowledged order's trace to be complete");
        }
        catch (TimeoutException)
        {
            // Incomplete traces are reported, not failed on: a killed process loses the spans it had buffered.
        }

        var tracesComplete = complete.Count;
        int Ended(string status) => final.Values.Count(o => o.GetProperty("status").GetString() == status);
        var report = new DeliveryReport(fault, driver.Sent, driver.Acknowledged.Count,
            Ended("Filled") + Ended("PartiallyFilled"), Ended("Rejected"), Ended("Failed"),
            driver.Acknowledged.Count - final.Count, duplicated, notifiedOnce, tracesComplete) { InFlight = inFlight };
        ReliabilityReport.Append(report);
        return report;
    }

    /// <summary>Keys matching <paramref name="pattern"/> on every master (one Redis, or a cluster's masters).</summary>
    private static async Task<List<RedisKey>> KeysAsync(IEnumerable<IServer> masters, string pattern)
    {
        var keys = new List<RedisKey>();
        foreach (var master in masters)
        {
            await foreach (var key in master.KeysAsync(pattern: pattern))
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}

/// <summary>Collects the fault table for README's Reliability section (TestResults/reliability.md).</summary>
public static class ReliabilityReport
{
    private static readonly object Gate = new();
    private static bool started;

    public static void Append(DeliveryReport report)
    {
        lock (Gate)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "reliability.md");
            if (!started || !File.Exists(path))
            {
                started = true;
                File.WriteAllText(path, DeliveryReport.Header);
            }

            File.AppendAllText(path, report.Row + "\n");
        }
    }
}
