using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>Order traces shaped like the pipeline's (stage names, services, trading.* attributes), with chosen durations.</summary>
internal static class SampleTraces
{
    public static string TraceId(int n) => $"{n + 1:x32}";

    public static string SpanId(int trace, int span) => $"{trace + 1:x8}{span + 1:x8}";

    /// <summary>
    /// One filled order: orderflow POST → gateway stages → risk → execution → exchanges venue.match → notification.
    /// <paramref name="venueMatchMs"/> sets the venue's latency; everything else is small and fixed.
    /// </summary>
    public static IReadOnlyList<SpanRecord> Order(
        int n, DateTime start, string venue = "binance", double venueMatchMs = 15, string symbol = "BTC-USD",
        bool riskError = false, double riskCheckMs = 0.7)
    {
        var traceId = TraceId(n);
        var orderId = $"ord-{n}";
        var spans = new List<SpanRecord>();
        string Add(int index, string name, string service, string? parent, double startMs, double durationMs, string kind = "Internal",
            bool withVenue = false, bool error = false)
        {
            var attributes = new Dictionary<string, string>
            {
                ["trading.order_id"] = orderId,
                ["trading.client_id"] = "client-1",
            };
            if (PipelineStages.IsStage(name))
            {
                attributes["trading.symbol"] = symbol;
            }

            if (withVenue)
            {
                attributes["trading.venue"] = venue;
            }

            if (error)
            {
                attributes["error.type"] = "limit_exceeded";
                attributes["trading.risk.reason"] = "notional";
            }

            var spanId = SpanId(n, index);
            spans.Add(new SpanRecord
            {
                Timestamp = start.AddTicks((long)(startMs * TimeSpan.TicksPerMillisecond)),
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = parent ?? "",
                SpanName = name,
                SpanKind = kind,
                ServiceName = service,
                ResourceAttributes = new Dictionary<string, string> { ["service.name"] = service },
                ScopeName = $"TradingAspire.{service}",
                SpanAttributes = attributes,
                DurationNanos = (long)(durationMs * 1_000_000),
                StatusCode = error ? SpanRecord.StatusCodes.Error : SpanRecord.StatusCodes.Unset,
                StatusMessage = error ? "over the notional limit" : "",
            });
            return spanId;
        }

        var root = Add(0, "POST", "orderflow", null, 0, 3, "Client");
        var receive = Add(1, "order.receive", "gateway", root, 0.2, 2.3, "Server");
        Add(2, "order.validate", "gateway", receive, 0.3, 0.3);
        var sendNew = Add(3, "send orders.new", "gateway", receive, 0.7, 0.5, "Producer");
        var processNew = Add(4, "process orders.new", "risk", sendNew, 2, 1 + riskCheckMs, "Consumer");
        Add(5, "risk.check", "risk", processNew, 2.1, riskCheckMs, error: riskError);
        var sendApproved = Add(6, "send orders.approved", "risk", processNew, 2.2 + riskCheckMs, 0.1, "Producer");
        var executionStart = 3.5 + riskCheckMs;
        var processApproved = Add(7, "process orders.approved", "execution", sendApproved, executionStart, 3 + venueMatchMs, "Consumer");
        Add(8, "order.route", "execution", processApproved, executionStart + 0.1, 0.4, withVenue: true);
        var execute = Add(9, "order.execute", "execution", processApproved, executionStart + 0.6, venueMatchMs + 1.5, withVenue: true);
        var post = Add(10, "POST", "execution", execute, executionStart + 0.7, venueMatchMs + 1.2, "Client");
        var server = Add(11, "POST /venues/{venue}/orders", "exchanges", post, executionStart + 0.8, venueMatchMs + 1, "Server");
        Add(12, "venue.match", "exchanges", server, executionStart + 1, venueMatchMs, withVenue: true);
        var sendFilled = Add(13, "send orders.filled", "execution", processApproved, executionStart + venueMatchMs + 2.3, 0.2, "Producer");
        var processFilled = Add(14, "process orders.filled", "notification", sendFilled, executionStart + venueMatchMs + 3, 1.5, "Consumer");
        Add(15, "order.confirm", "notification", processFilled, executionStart + venueMatchMs + 3.1, 0.6);
        Add(16, "order.notify", "notification", processFilled, executionStart + venueMatchMs + 3.8, 0.5);
        return spans;
    }

    /// <summary>A span from some other SDK: none of our attributes, Unspecified kind.</summary>
    public static SpanRecord Foreign(string traceId, string spanId, DateTime start, string service = "python-billing", string name = "SELECT invoices") => new()
    {
        Timestamp = start,
        TraceId = traceId,
        SpanId = spanId,
        SpanName = name,
        ServiceName = service,
        DurationNanos = 2_000_000,
    };
}
