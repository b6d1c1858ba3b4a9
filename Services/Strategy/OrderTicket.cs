using TradingAspire.Contracts;

namespace TradingAspire.Strategy;

/// <summary>An order the strategy sends to the gateway (POST /orders body), as client <see cref="ClientId"/>.</summary>
public sealed record OrderTicket(
    string ClientId,
    string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice = null,
    int? TimeInForceSeconds = null)
{
    public object Body => new Dictionary<string, object?>
    {
        ["clientId"] = ClientId,
        ["symbol"] = Symbol,
        ["side"] = Side == OrderSide.Buy ? "BUY" : "SELL",
        ["type"] = Type == OrderType.Limit ? "LIMIT" : "MARKET",
        ["quantity"] = Quantity,
        ["limitPrice"] = LimitPrice,
        ["timeInForceSeconds"] = TimeInForceSeconds,
    };
}
