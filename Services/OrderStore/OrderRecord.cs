using TradingAspire.Contracts;

namespace TradingAspire.OrderStore;

/// <summary>What the desk knows about one order: the request, where it stands, and how it ended.</summary>
public sealed record OrderRecord(NewOrder Order, OrderStatus Status, string TraceId, OrderOutcome? Outcome);

/// <summary>How an order ended: written once, by whoever finalizes it first.</summary>
public sealed record OrderOutcome(
    OrderStatus Status,
    IReadOnlyList<Fill> Fills,
    decimal FilledQuantity,
    decimal? AveragePrice,
    double? SlippageBps,
    string? Venue,
    string? Reason,
    IReadOnlyDictionary<string, double> StageTimings,
    DateTimeOffset CompletedAt);
