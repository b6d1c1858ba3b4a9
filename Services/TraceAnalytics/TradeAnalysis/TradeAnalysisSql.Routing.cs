using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

internal static partial class TradeAnalysisSql
{
    private static string? routingPolicies;

    /// <summary>
    /// The routing policies side by side: per policy (<c>trading.route.policy</c>) and per policy and venue, the filled orders
    /// whose first span (strategy spans aside) started in [from, to): their count, mean and sample variance of slippage (bp)
    /// and mean order-to-fill latency (ms). Slippage and policy come from the same span (execution's, the last delivery's);
    /// the venue and the fill are the last <c>venue.match</c>'s (<see cref="OrderSpans"/>). <c>venue</c> is NULL on the per-policy rows.
    /// </summary>
    /// <remarks>Built on first use: it embeds <see cref="OrderSpans"/>, a static field of another file of this class.</remarks>
    public static string RoutingPolicies => routingPolicies ??= $"""
        WITH
        {OrderSpans},
        tagged AS (
            SELECT "TraceId", "OrderId", arg_max(bps, "Timestamp") AS bps, arg_max(policy, "Timestamp") AS policy
            FROM (SELECT "TraceId", "OrderId", "Timestamp",
                         TRY_CAST(json_extract_string("SpanAttributes", '$."{TradingAttributes.SlippageBps}"') AS DOUBLE) AS bps,
                         json_extract_string("SpanAttributes", '$."{TradingAttributes.RoutePolicy}"') AS policy
                  FROM {SpanTable.Name}
                  WHERE {InSlack} AND "OrderId" <> '' AND contains("SpanAttributes", '"{TradingAttributes.RoutePolicy}"'))
            WHERE bps IS NOT NULL AND isfinite(bps) AND policy IS NOT NULL
            GROUP BY ALL
        ),
        orders AS (
            SELECT t.policy, f.venue, t.bps, (f.fill_ns - o.start_ns) / 1e6 AS ms
            FROM tagged t
            JOIN fills f ON f."TraceId" = t."TraceId" AND f."OrderId" = t."OrderId"
            JOIN firsts o ON o."TraceId" = t."TraceId" AND o."OrderId" = t."OrderId"
            WHERE o.start_ns >= epoch_ns($from::TIMESTAMP_NS) AND o.start_ns < epoch_ns($to::TIMESTAMP_NS)
        )
        SELECT policy, venue, count(*) AS n, avg(bps) AS mean_bps, var_samp(bps) AS var_bps, avg(ms) AS mean_ms
        FROM orders
        GROUP BY GROUPING SETS ((policy, venue), (policy))
        ORDER BY policy, venue NULLS FIRST
        """;
}
