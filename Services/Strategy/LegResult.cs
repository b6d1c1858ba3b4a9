using TradingAspire.Contracts;

namespace TradingAspire.Strategy;

/// <summary>
/// How one order ended, as the gateway reported it: <see cref="OrderId"/> null when the gateway never accepted it
/// (<see cref="Reason"/> says why), <see cref="Status"/> null when no final state came in time.
/// </summary>
public sealed record LegResult(
    OrderSide Side,
    decimal Quantity,
    string? OrderId,
    OrderStatus? Status,
    decimal FilledQuantity,
    decimal? AveragePrice,
    string? Venue,
    string? Reason,
    DateTimeOffset? FirstFillAt,
    DateTimeOffset? LastFillAt)
{
    public bool FullyFilled => FilledQuantity >= Quantity && FilledQuantity > 0;

    public bool NothingFilled => FilledQuantity <= 0;

    /// <summary>The signed position this leg added: + bought, − sold.</summary>
    public decimal SignedFilled => Side == OrderSide.Buy ? FilledQuantity : -FilledQuantity;

    public static LegResult NotAccepted(OrderSide side, decimal quantity, string reason) =>
        new(side, quantity, null, null, 0, null, null, reason, null, null);
}
