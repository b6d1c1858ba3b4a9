namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>
/// The span names that are stages of an order's journey. Raw HTTP and Redis spans are not stages:
/// stage statistics leave them out, and on a critical path their time counts toward the nearest
/// stage above them (the HTTP call to a venue toward <c>order.execute</c>).
/// </summary>
public static class PipelineStages
{
    public static readonly IReadOnlyList<string> All =
    [
        "order.receive",
        "order.validate",
        "send orders.new",
        "process orders.new",
        "risk.check",
        "send orders.approved",
        "send orders.rejected",
        "process orders.approved",
        "process orders.rejected",
        "order.route",
        "order.execute",
        "venue.match",
        "send orders.filled",
        "process orders.filled",
        "risk.release",
        "order.confirm",
        "order.notify",
    ];

    private static readonly HashSet<string> Names = new(All, StringComparer.Ordinal);

    public static bool IsStage(string spanName) => Names.Contains(spanName);

    /// <summary>A span name fit for a metric tag: the stage name, or <c>other</c>.</summary>
    public static string StageOrOther(string spanName) => IsStage(spanName) ? spanName : "other";
}
