namespace TradingAspire.Contracts;

/// <summary>
/// An order the gateway accepted; the payload of <c>orders.new</c>. <paramref name="ExpiresAt"/> is its
/// time in force: while venues are away the order waits for them until then, and fails after.
/// </summary>
public sealed record NewOrder(
    string OrderId,
    string ClientId,
    string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, double>? StageTimings = null,
    DateTimeOffset? ExpiresAt = null) : IStageTimed<NewOrder>
{
    /// <summary>Time in force when an order does not say (orders written before it existed).</summary>
    public static readonly TimeSpan DefaultTimeInForce = TimeSpan.FromSeconds(60);

    /// <summary>The longest time in force a client may ask for.</summary>
    public static readonly TimeSpan MaxTimeInForce = TimeSpan.FromMinutes(5);

    public DateTimeOffset Expiry => ExpiresAt ?? ReceivedAt + DefaultTimeInForce;

    /// <summary>The same order with one more stage's duration (milliseconds) recorded.</summary>
    public NewOrder WithTiming(string stage, double milliseconds)
    {
        var timings = new Dictionary<string, double>(StageTimings ?? new Dictionary<string, double>()) { [stage] = Math.Round(milliseconds, 3) };
        return this with { StageTimings = timings };
    }
}

/// <summary>An order risk approved; the payload of <c>orders.approved</c>.</summary>
public sealed record ApprovedOrder(NewOrder Order, decimal ReferencePrice) : IStageTimed<ApprovedOrder>
{
    public ApprovedOrder WithTiming(string stage, double milliseconds) => this with { Order = Order.WithTiming(stage, milliseconds) };
}

/// <summary>An order risk rejected; the payload of <c>orders.rejected</c>.</summary>
public sealed record RejectedOrder(NewOrder Order, string Reason, string Detail) : IStageTimed<RejectedOrder>
{
    public RejectedOrder WithTiming(string stage, double milliseconds) => this with { Order = Order.WithTiming(stage, milliseconds) };
}

/// <summary>One execution at a venue.</summary>
public sealed record Fill(string ExecutionId, string Venue, decimal Quantity, decimal Price, DateTimeOffset ExecutedAt);

/// <summary>The outcome of routing an order to venues; the payload of <c>orders.filled</c>.</summary>
public sealed record ExecutionReport(
    NewOrder Order,
    OrderStatus Status,
    IReadOnlyList<Fill> Fills,
    decimal FilledQuantity,
    decimal? AveragePrice,
    decimal ReferencePrice,
    double? SlippageBps,
    string? Venue,
    string? FailureReason) : IStageTimed<ExecutionReport>
{
    public ExecutionReport WithTiming(string stage, double milliseconds) => this with { Order = Order.WithTiming(stage, milliseconds) };
}

/// <summary>What the notification service pushes to a client when its order reaches a final state.</summary>
public sealed record OrderNotification(
    string OrderId,
    string ClientId,
    string Symbol,
    OrderStatus Status,
    decimal FilledQuantity,
    decimal? AveragePrice,
    string? Reason,
    string TraceId,
    DateTimeOffset At);
