using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace TradingAspire.Benchmarks;

/// <summary>
/// Realistic order traces as our services export them: 35 spans over orderflow, gateway, risk, execution,
/// exchanges and notification (stage spans, messaging spans with queue time, Redis and HTTP spans), with
/// log-normal durations (venue latency by venue, 1 % slow venue outliers, 2 % risk rejections), encoded
/// as OTLP/HTTP protobuf requests grouped by service like the .NET exporter's batches.
/// </summary>
public sealed class OrderTraceGenerator(int seed, DateTime firstOrder, double ordersPerSecond)
{
    public const int SpansPerTrace = 35;
    private static readonly string[] Services = ["orderflow", "gateway", "risk", "execution", "exchanges", "notification"];
    private static readonly (string Name, double MedianMs)[] Venues = [("binance", 15), ("kraken", 25), ("coinbase", 50)];
    private static readonly string[] Symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "AAPL", "MSFT"];

    private readonly Random random = new(seed);
    private long orders;

    public long Orders => orders;

    /// <summary>The order id of the n-th generated order (so benchmarks can look orders up).</summary>
    public static string OrderId(long n) => $"ord-{n:x12}";

    public static string TraceIdHex(long n) => $"{(ulong)(n * 2654435761L + 1):x16}{(ulong)n + 0x1000:x16}";

    public DateTime TimeOf(long n) => firstOrder.AddTicks((long)(n / ordersPerSecond * TimeSpan.TicksPerSecond));

    /// <summary>One request holding the next <paramref name="traces"/> orders' spans.</summary>
    public byte[] NextRequest(int traces)
    {
        var byService = Services.ToDictionary(s => s, _ => new List<OtlpSpan>());
        for (var t = 0; t < traces; t++)
        {
            AddOrder(orders++, byService);
        }

        var request = new ExportTraceServiceRequest();
        foreach (var service in Services)
        {
            var resource = new Resource();
            resource.Attributes.Add(Str("service.name", service));
            resource.Attributes.Add(Str("service.instance.id", $"{service}-1"));
            resource.Attributes.Add(Str("telemetry.sdk.language", "dotnet"));
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = $"TradingAspire.{service}", Version = "1.0.0" } };
            scope.Spans.AddRange(byService[service]);
            var resourceSpans = new ResourceSpans { Resource = resource };
            resourceSpans.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(resourceSpans);
        }

        return request.ToByteArray();
    }

    private double LogNormal(double medianMs, double sigma) =>
        medianMs * Math.Exp(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private void AddOrder(long n, Dictionary<string, List<OtlpSpan>> byService)
    {
        var traceId = ByteString.CopyFrom(Convert.FromHexString(TraceIdHex(n)));
        var orderId = OrderId(n);
        var client = $"client-{random.Next(50)}";
        var symbol = Symbols[random.Next(Symbols.Length)];
        var venue = Venues[random.Next(Venues.Length)];
        var startNanos = (ulong)((TimeOf(n) - DateTime.UnixEpoch).Ticks * 100);
        var spanIndex = 0;

        OtlpSpan Add(string service, string name, OtlpSpan? parent, double startMs, double durationMs, OtlpSpan.Types.SpanKind kind, params KeyValue[] attributes)
        {
            var span = new OtlpSpan
            {
                TraceId = traceId,
                SpanId = ByteString.CopyFrom(BitConverter.GetBytes(((ulong)n << 8) | (uint)++spanIndex)),
                ParentSpanId = parent?.SpanId ?? ByteString.Empty,
                Name = name,
                Kind = kind,
                StartTimeUnixNano = startNanos + (ulong)(startMs * 1e6),
                EndTimeUnixNano = startNanos + (ulong)((startMs + Math.Max(0.001, durationMs)) * 1e6),
            };
            span.Attributes.Add(Str("trading.order_id", orderId));
            span.Attributes.Add(Str("trading.client_id", client));
            span.Attributes.AddRange(attributes);
            byService[service].Add(span);
            return span;
        }

        OtlpSpan Stage(string service, string name, OtlpSpan parent, double startMs, double durationMs, params KeyValue[] extra) =>
            Add(service, name, parent, startMs, durationMs, OtlpSpan.Types.SpanKind.Internal, [Str("trading.symbol", symbol), Str("trading.side", "BUY"), .. extra]);

        OtlpSpan Redis(string service, string command, OtlpSpan parent, double startMs) =>
            Add(service, command, parent, startMs, LogNormal(0.15, 0.4), OtlpSpan.Types.SpanKind.Client, Str("db.system", "redis"), Str("db.operation.name", command));

        var t = 0.0;
        var root = Add("orderflow", "POST", null, t, 0, OtlpSpan.Types.SpanKind.Client, Str("http.request.method", "POST"));
        var post = Add("gateway", "POST /orders/", root, t += 0.3, 0, OtlpSpan.Types.SpanKind.Server, Str("http.request.method", "POST"), Str("http.route", "/orders/"), Int("http.response.status_code", 202));
        var receive = Stage("gateway", "order.receive", post, t += 0.05, 0);
        var validate = LogNormal(0.1, 0.5);
        var rejectedInput = random.NextDouble() < 0.01;
        var validateSpan = Stage("gateway", "order.validate", receive, t += 0.02, validate);
        if (rejectedInput)
        {
            validateSpan.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "invalid quantity" };
            validateSpan.Attributes.Add(Str("error.type", "validation"));
        }

        t += validate;
        var sendNew = Add("gateway", "send orders.new", receive, t += 0.02, 0, OtlpSpan.Types.SpanKind.Producer, Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.new"));
        var xadd = Redis("gateway", "XADD", sendNew, t + 0.02);
        sendNew.EndTimeUnixNano = xadd.EndTimeUnixNano + 20_000;
        receive.EndTimeUnixNano = sendNew.EndTimeUnixNano + 30_000;
        post.EndTimeUnixNano = receive.EndTimeUnixNano + 50_000;
        root.EndTimeUnixNano = post.EndTimeUnixNano + 300_000;
        t = (sendNew.EndTimeUnixNano - startNanos) / 1e6;

        double Queue() => LogNormal(0.8, 0.6);

        var wait = Queue();
        var processNew = Add("risk", "process orders.new", sendNew, t += wait, 0, OtlpSpan.Types.SpanKind.Consumer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.new"), Dbl("messaging.redis.queue_time_ms", Math.Round(wait, 3)));
        var riskStart = t += 0.05;
        Redis("risk", "HGET", processNew, t += 0.05);
        Redis("risk", "GET", processNew, t += 0.2);
        Redis("risk", "EXEC", processNew, t += 0.2);
        var riskMs = LogNormal(0.9, 0.4);
        var rejected = random.NextDouble() < 0.02;
        var riskCheck = Stage("risk", "risk.check", processNew, riskStart, riskMs, Str("trading.risk.decision", rejected ? "reject" : "approve"));
        if (rejected)
        {
            riskCheck.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "order notional over the limit" };
            riskCheck.Attributes.Add(Str("error.type", "limit_exceeded"));
            riskCheck.Attributes.Add(Str("trading.risk.reason", "notional"));
        }

        t = riskStart + riskMs;
        var sendApproved = Add("risk", rejected ? "send orders.rejected" : "send orders.approved", processNew, t += 0.02, 0.2, OtlpSpan.Types.SpanKind.Producer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", rejected ? "orders.rejected" : "orders.approved"));
        Redis("risk", "XADD", sendApproved, t + 0.02);
        Redis("risk", "XACK", processNew, t += 0.25);
        processNew.EndTimeUnixNano = startNanos + (ulong)((t += 0.2) * 1e6);
        t = (sendApproved.EndTimeUnixNano - startNanos) / 1e6;

        wait = Queue();
        var processApproved = Add("execution", rejected ? "process orders.rejected" : "process orders.approved", sendApproved, t += wait, 0, OtlpSpan.Types.SpanKind.Consumer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.approved"), Dbl("messaging.redis.queue_time_ms", Math.Round(wait, 3)));
        var routeMs = LogNormal(0.4, 0.4);
        var route = Stage("execution", "order.route", processApproved, t += 0.05, routeMs, Str("trading.venue", venue.Name));
        Redis("execution", "HGETALL", route, t + 0.05);
        t += routeMs;
        var venueMs = LogNormal(venue.MedianMs, 0.35) * (random.NextDouble() < 0.01 ? 5 : 1);
        var execute = Stage("execution", "order.execute", processApproved, t += 0.05, venueMs + 1.6, Str("trading.venue", venue.Name));
        var httpPost = Add("execution", "POST", execute, t += 0.1, venueMs + 1.3, OtlpSpan.Types.SpanKind.Client, Str("http.request.method", "POST"), Int("http.response.status_code", 200));
        var venuePost = Add("exchanges", "POST /venues/{venue}/orders", httpPost, t += 0.2, venueMs + 0.8, OtlpSpan.Types.SpanKind.Server,
            Str("http.request.method", "POST"), Str("http.route", "/venues/{venue}/orders"), Int("http.response.status_code", 200));
        Stage("exchanges", "venue.match", venuePost, t += 0.1, venueMs, Str("trading.venue", venue.Name), Dbl("trading.fill.price", 100 + random.NextDouble()));
        Redis("exchanges", "GET", venuePost, t + venueMs + 0.1);
        Redis("exchanges", "SET", venuePost, t + venueMs + 0.4);
        t = (execute.EndTimeUnixNano - startNanos) / 1e6;
        var sendFilled = Add("execution", "send orders.filled", processApproved, t += 0.05, 0.25, OtlpSpan.Types.SpanKind.Producer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.filled"));
        Redis("execution", "XADD", sendFilled, t + 0.03);
        Redis("execution", "XACK", processApproved, t += 0.3);
        processApproved.EndTimeUnixNano = startNanos + (ulong)((t += 0.2) * 1e6);
        t = (sendFilled.EndTimeUnixNano - startNanos) / 1e6;

        wait = Queue();
        var riskFilled = Add("risk", "process orders.filled", sendFilled, t + wait, 0.9, OtlpSpan.Types.SpanKind.Consumer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.filled"), Dbl("messaging.redis.queue_time_ms", Math.Round(wait, 3)));
        Stage("risk", "risk.release", riskFilled, t + wait + 0.05, 0.5);
        Redis("risk", "EVAL", riskFilled, t + wait + 0.1);
        Redis("risk", "XACK", riskFilled, t + wait + 0.7);

        wait = Queue();
        var notify = Add("notification", "process orders.filled", sendFilled, t += wait, 0, OtlpSpan.Types.SpanKind.Consumer,
            Str("messaging.system", "redis"), Str("messaging.destination.name", "orders.filled"), Dbl("messaging.redis.queue_time_ms", Math.Round(wait, 3)));
        var confirmMs = LogNormal(0.6, 0.4);
        var confirm = Stage("notification", "order.confirm", notify, t += 0.05, confirmMs);
        Redis("notification", "EVAL", confirm, t + 0.05);
        t += confirmMs;
        Stage("notification", "order.notify", notify, t += 0.05, LogNormal(0.3, 0.4));
        Redis("notification", "XACK", notify, t += 0.4);
        notify.EndTimeUnixNano = startNanos + (ulong)((t += 0.3) * 1e6);
    }

    private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    private static KeyValue Dbl(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };
}
