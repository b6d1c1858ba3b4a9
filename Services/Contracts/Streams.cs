namespace TradingAspire.Contracts;

/// <summary>Redis stream names: one stream per arrow between services.</summary>
public static class Streams
{
    public const string OrdersNew = "orders.new";
    public const string OrdersApproved = "orders.approved";
    public const string OrdersRejected = "orders.rejected";
    public const string OrdersFilled = "orders.filled";
    public const string Alerts = "alerts";

    /// <summary>Per-venue feed health every few seconds: marketdata → trace store.</summary>
    public const string MarketDataHealth = "marketdata.health";
}

/// <summary>Stage names used in span names, timings and the <c>trading.stage</c> metric tag.</summary>
public static class Stages
{
    public const string Receive = "order.receive";
    public const string Validate = "order.validate";
    public const string Risk = "risk.check";
    public const string Route = "order.route";
    public const string Execute = "order.execute";
    public const string Confirm = "order.confirm";
    public const string Notify = "order.notify";
    public const string VenueMatch = "venue.match";
}
