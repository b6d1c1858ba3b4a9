namespace TradingAspire.Risk;

/// <summary>The outcome of the risk check. Rejections carry a machine reason and a human detail.</summary>
public sealed record RiskDecision(bool Approved, string? Reason, string? Detail, decimal ReferencePrice, decimal PositionAfter)
{
    public static RiskDecision Approve(decimal referencePrice, decimal positionAfter) => new(true, null, null, referencePrice, positionAfter);

    public static RiskDecision Reject(string reason, string detail, decimal referencePrice, decimal position) =>
        new(false, reason, detail, referencePrice, position);
}

/// <summary>Machine-readable rejection reasons (<c>trading.risk.reason</c>).</summary>
public static class RiskReasons
{
    public const string NoReferencePrice = "no_reference_price";
    public const string PriceCollar = "price_collar";
    public const string OrderNotional = "order_notional_limit";
    public const string PositionLimit = "position_limit";
}
