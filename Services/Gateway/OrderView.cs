using TradingAspire.Contracts;
using TradingAspire.OrderStore;

namespace TradingAspire.Gateway;

/// <summary>The answer to POST /orders.</summary>
public sealed record OrderAccepted(string OrderId, OrderStatus Status, string TraceId, bool Replayed);

/// <summary>The answer to GET /orders/{id}.</summary>
public sealed record OrderView(
    string OrderId,
    string ClientId,
    string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice,
    OrderStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? CompletedAt,
    decimal FilledQuantity,
    decimal? AveragePrice,
    double? SlippageBps,
    string? Venue,
    string? Reason,
    IReadOnlyList<Fill> Fills,
    IReadOnlyDictionary<string, double> StageTimings,
    double? EndToEndMs,
    string TraceId)
{
    public static OrderView From(OrderRecord record)
    {
        var order = record.Order;
        var outcome = record.Outcome;
        var timings = outcome?.StageTimings ?? order.StageTimings ?? new Dictionary<string, double>();
        return new OrderView(
            order.OrderId, order.ClientId, order.Symbol, order.Side, order.Type, order.Quantity, order.LimitPrice,
            record.Status, order.ReceivedAt, outcome?.CompletedAt,
            outcome?.FilledQuantity ?? 0, outcome?.AveragePrice, outcome?.SlippageBps, outcome?.Venue, outcome?.Reason,
            outcome?.Fills ?? [], timings,
            outcome is null ? null : Math.Round((outcome.CompletedAt - order.ReceivedAt).TotalMilliseconds, 3),
            record.TraceId);
    }
}
