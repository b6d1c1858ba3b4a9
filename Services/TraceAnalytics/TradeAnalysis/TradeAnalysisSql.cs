using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>
/// The DuckDB SQL behind the latency ↔ slippage and arbitrage analyses. Every statement scans one time window of
/// <see cref="SpanTable"/> (widened by <see cref="StageSpans.TraceSlack"/> for the rest of each trace) and aggregates
/// there: what comes back is per venue, per outcome, per bucket or per stage, plus a capped sample of points.
/// Parameters: <c>$from</c>, <c>$to</c>, <c>$slackFrom</c>, <c>$slackTo</c> (stored times).
/// </summary>
internal static partial class TradeAnalysisSql
{
    /// <summary>The spans a strategy's decision starts from: the latency of an order below one is measured from it.</summary>
    private static readonly string Anchors = List(StrategySpans.Signal, StrategySpans.ArbitrageLeg, StrategySpans.ArbitrageUnwind);

    private static readonly string StrategyNames = List(StrategySpans.Signal, StrategySpans.Arbitrage, StrategySpans.ArbitrageLeg, StrategySpans.ArbitrageUnwind);

    private static readonly string StageNames = List([.. PipelineStages.All]);

    /// <summary>How deep the walks up (order → its strategy span) and down (leg → its order's spans) go at most.</summary>
    private const int MaxDepth = 64;

    private const string InSlack = """ "Timestamp" >= $slackFrom::TIMESTAMP_NS AND "Timestamp" < $slackTo::TIMESTAMP_NS """;
    private const string InWindow = """ "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS """;

    /// <summary>
    /// The CTEs <c>win</c> (the spans of the slack-widened window), <c>fills</c> (per order: the end of its last
    /// <c>venue.match</c> and that match's venue) and <c>firsts</c> (per order: its first span, strategy spans aside).
    /// </summary>
    private static readonly string OrderSpans = $"""
        win AS MATERIALIZED (
            SELECT "TraceId", "SpanId", "ParentSpanId", "SpanName", "OrderId", "Venue",
                   epoch_ns("Timestamp") AS start_ns, epoch_ns("Timestamp") + "Duration" AS end_ns
            FROM {SpanTable.Name} WHERE {InSlack}
        ),
        fills AS (
            SELECT "TraceId", "OrderId", max(end_ns) AS fill_ns, arg_max("Venue", end_ns) AS venue
            FROM win WHERE "SpanName" = '{Stages.VenueMatch}' AND "OrderId" <> '' AND "Venue" <> ''
            GROUP BY ALL
        ),
        firsts AS (
            SELECT "TraceId", "OrderId", min(start_ns) AS start_ns, arg_min("SpanId", start_ns) AS first_span
            FROM win WHERE "OrderId" <> '' AND "SpanName" NOT IN ({StrategyNames})
            GROUP BY ALL
        )
        """;

    /// <summary>
    /// One row per sampled order (<c>$maxPoints</c> per venue, chosen by a hash of trace and order id): venue, latency
    /// <c>ms</c>, slippage <c>bps</c>, whether the latency starts at a strategy span (<c>anchored</c>), and its venue's
    /// n and regression moments over every order (window aggregates). An order counts when its first span (strategy
    /// spans aside) started in [from, to), a <c>venue.match</c> of it ended (the last one is the fill, its venue the
    /// order's) and a span of it carries <c>trading.slippage_bps</c> (execution's <c>process orders.approved</c>; the
    /// last delivery's). <c>$signal</c>: measure from the nearest <c>strategy.signal</c>/<c>arbitrage.leg</c>/<c>arbitrage.unwind</c>
    /// above the order when there is one.
    /// </summary>
    public static readonly string LatencySlippage = $"""
        WITH RECURSIVE
        {OrderSpans},
        slippage AS (
            SELECT "TraceId", "OrderId", arg_max(bps, "Timestamp") AS bps
            FROM (SELECT "TraceId", "OrderId", "Timestamp",
                         TRY_CAST(json_extract_string("SpanAttributes", '$."{TradingAttributes.SlippageBps}"') AS DOUBLE) AS bps
                  FROM {SpanTable.Name}
                  WHERE {InSlack} AND "OrderId" <> '' AND contains("SpanAttributes", '"{TradingAttributes.SlippageBps}"'))
            WHERE bps IS NOT NULL AND isfinite(bps)
            GROUP BY ALL
        ),
        orders AS (
            SELECT o."TraceId", o."OrderId", o.start_ns, o.first_span, f.fill_ns, f.venue, s.bps
            FROM firsts o
            JOIN fills f ON f."TraceId" = o."TraceId" AND f."OrderId" = o."OrderId"
            JOIN slippage s ON s."TraceId" = o."TraceId" AND s."OrderId" = o."OrderId"
            WHERE o.start_ns >= epoch_ns($from::TIMESTAMP_NS) AND o.start_ns < epoch_ns($to::TIMESTAMP_NS)
        ),
        up AS (
            SELECT o."TraceId", o."OrderId", w."ParentSpanId", w."SpanName", w.start_ns, 0 AS depth
            FROM orders o JOIN win w ON w."TraceId" = o."TraceId" AND w."SpanId" = o.first_span
            WHERE $signal
            UNION ALL
            SELECT u."TraceId", u."OrderId", p."ParentSpanId", p."SpanName", p.start_ns, u.depth + 1
            FROM up u JOIN win p ON p."TraceId" = u."TraceId" AND p."SpanId" = u."ParentSpanId"
            WHERE u."SpanName" NOT IN ({Anchors}) AND u.depth < {MaxDepth}
        ),
        anchors AS (
            SELECT "TraceId", "OrderId", arg_min(start_ns, depth) AS anchor_ns
            FROM up WHERE "SpanName" IN ({Anchors})
            GROUP BY ALL
        ),
        observations AS (
            SELECT o."TraceId", o."OrderId", o.venue, o.bps, a.anchor_ns IS NOT NULL AS anchored,
                   (o.fill_ns - coalesce(a.anchor_ns, o.start_ns)) / 1e6 AS ms
            FROM orders o LEFT JOIN anchors a ON a."TraceId" = o."TraceId" AND a."OrderId" = o."OrderId"
        )
        SELECT "TraceId", "OrderId", venue, ms, bps, anchored,
               count(*) OVER v AS n, count(*) FILTER (WHERE anchored) OVER v AS n_anchored,
               avg(ms) OVER v AS mean_x, avg(bps) OVER v AS mean_y,
               regr_sxx(bps, ms) OVER v AS sxx, regr_syy(bps, ms) OVER v AS syy, regr_sxy(bps, ms) OVER v AS sxy
        FROM observations
        WINDOW v AS (PARTITION BY venue)
        QUALIFY row_number() OVER (PARTITION BY venue ORDER BY hash("TraceId", "OrderId"), "TraceId", "OrderId") <= $maxPoints
        ORDER BY venue, ms
        """;

    /// <summary>
    /// The CTE <c>arbs</c>: each <c>arbitrage</c> span that started in [from, to) with its outcome, expected and realised
    /// edge (bp), lost edge and latency <c>ms</c> (<c>trading.signal.to_fill_ms</c>, else the span's duration).
    /// </summary>
    private static readonly string Arbitrages = $"""
        arbs AS (
            SELECT "TraceId", "SpanId", coalesce(outcome, 'unknown') AS outcome, expected_bps, realised_bps,
                   expected_bps - realised_bps AS lost_bps, coalesce(to_fill_ms, "Duration" / 1e6) AS ms
            FROM (SELECT "TraceId", "SpanId", "Duration",
                         json_extract_string("SpanAttributes", '$."{TradingAttributes.ArbitrageOutcome}"') AS outcome,
                         TRY_CAST(json_extract_string("SpanAttributes", '$."{TradingAttributes.ArbitrageExpectedEdgeBps}"') AS DOUBLE) AS expected_bps,
                         TRY_CAST(json_extract_string("SpanAttributes", '$."{TradingAttributes.ArbitrageRealisedEdgeBps}"') AS DOUBLE) AS realised_bps,
                         TRY_CAST(json_extract_string("SpanAttributes", '$."{TradingAttributes.SignalToFillMs}"') AS DOUBLE) AS to_fill_ms
                  FROM {SpanTable.Name} WHERE {InWindow} AND "SpanName" = '{StrategySpans.Arbitrage}')
        )
        """;

    /// <summary>Per outcome: count, and over those with both edges their number and mean expected, realised and lost edge.</summary>
    public static readonly string ArbitrageOutcomes = $"""
        WITH {Arbitrages}
        SELECT outcome, count(*) AS n, count(lost_bps) AS n_edges,
               avg(expected_bps) FILTER (WHERE lost_bps IS NOT NULL) AS expected,
               avg(realised_bps) FILTER (WHERE lost_bps IS NOT NULL) AS realised
        FROM arbs GROUP BY outcome ORDER BY n DESC, outcome
        """;

    /// <summary>Per latency bucket (index into <paramref name="edgesMs"/>, the upper bounds; the last is open): count and both-filled count.</summary>
    public static string ArbitrageBuckets(IReadOnlyList<double> edgesMs) => $"""
        WITH {Arbitrages}
        SELECT CASE {string.Concat(edgesMs.Select((edge, i) => $"WHEN ms < {Number(edge)} THEN {i} "))}ELSE {edgesMs.Count} END AS bucket,
               count(*) AS n, count(*) FILTER (WHERE outcome = '{StrategySpans.Outcomes.BothFilled}') AS both_filled
        FROM arbs GROUP BY bucket ORDER BY bucket
        """;

    /// <summary>
    /// Per pipeline stage: the regression moments of lost edge (y, bp) on the stage's latency (x, ms) over the arbitrages
    /// with both edges. A stage span's latency is its own time: its duration less the part of it its nearest stage
    /// descendants cover (order.execute without the venue.match inside it; a consumer that runs after its producer ended
    /// is not inside it). A leg's time in a stage sums its spans of that name below the <c>arbitrage.leg</c> span; the
    /// arbitrage's is the larger of its two legs' (the slower leg sets when the edge is taken).
    /// </summary>
    public static readonly string StageEdge = $"""
        WITH RECURSIVE {Arbitrages},
        win AS MATERIALIZED (
            SELECT "TraceId", "SpanId", "ParentSpanId", "SpanName", epoch_ns("Timestamp") AS start_ns, epoch_ns("Timestamp") + "Duration" AS end_ns
            FROM {SpanTable.Name}
            WHERE {InSlack} AND "TraceId" IN (SELECT "TraceId" FROM arbs WHERE lost_bps IS NOT NULL)
        ),
        tree AS (
            -- stage_parent: the nearest stage span above (NULL up to the leg).
            SELECT w."TraceId", w."SpanId" AS leg, w."SpanId", w."SpanName", w.start_ns, w.end_ns, CAST(NULL AS VARCHAR) AS stage_parent, 0 AS depth
            FROM win w JOIN arbs a ON a."TraceId" = w."TraceId" AND a."SpanId" = w."ParentSpanId"
            WHERE w."SpanName" = '{StrategySpans.ArbitrageLeg}' AND a.lost_bps IS NOT NULL
            UNION ALL
            SELECT t."TraceId", t.leg, c."SpanId", c."SpanName", c.start_ns, c.end_ns,
                   CASE WHEN t."SpanName" IN ({StageNames}) THEN t."SpanId" ELSE t.stage_parent END, t.depth + 1
            FROM tree t JOIN win c ON c."TraceId" = t."TraceId" AND c."ParentSpanId" = t."SpanId"
            WHERE t.depth < {MaxDepth}
        ),
        stage_spans AS (
            SELECT * FROM tree WHERE "SpanName" IN ({StageNames})
        ),
        covered AS (
            SELECT p."TraceId", p."SpanId", sum(greatest(0, least(c.end_ns, p.end_ns) - greatest(c.start_ns, p.start_ns))) AS ns
            FROM stage_spans p JOIN stage_spans c ON c."TraceId" = p."TraceId" AND c.stage_parent = p."SpanId"
            GROUP BY ALL
        ),
        leg_stages AS (
            SELECT s."TraceId", s.leg, s."SpanName", sum(greatest(0, s.end_ns - s.start_ns - coalesce(c.ns, 0))) / 1e6 AS ms
            FROM stage_spans s LEFT JOIN covered c ON c."TraceId" = s."TraceId" AND c."SpanId" = s."SpanId"
            GROUP BY ALL
        ),
        arb_stages AS (
            SELECT "TraceId", "SpanName", max(ms) AS ms FROM leg_stages GROUP BY ALL
        ),
        joined AS (
            SELECT s."SpanName", s.ms, a.lost_bps
            FROM arb_stages s JOIN arbs a ON a."TraceId" = s."TraceId" AND a.lost_bps IS NOT NULL
        )
        SELECT "SpanName", count(*) AS n, avg(ms) AS mean_x, avg(lost_bps) AS mean_y,
               regr_sxx(lost_bps, ms) AS sxx, regr_syy(lost_bps, ms) AS syy, regr_sxy(lost_bps, ms) AS sxy
        FROM joined GROUP BY "SpanName" ORDER BY "SpanName"
        """;

    private static string List(params string[] names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Number(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
