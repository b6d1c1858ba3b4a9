using TradingAspire.Contracts;

namespace TradingAspire.Gateway;

/// <summary>A client's order as it arrived, before validation (every field may be missing or wrong).</summary>
public sealed record OrderRequest(
    string? ClientId,
    string? Symbol,
    string? Side,
    string? Type,
    decimal? Quantity,
    decimal? LimitPrice,
    decimal? TimeInForceSeconds = null);

/// <summary>A request that passed validation.</summary>
public sealed record ValidOrder(string ClientId, Instrument Instrument, OrderSide Side, OrderType Type, decimal Quantity, decimal? LimitPrice,
    TimeSpan TimeInForce);
