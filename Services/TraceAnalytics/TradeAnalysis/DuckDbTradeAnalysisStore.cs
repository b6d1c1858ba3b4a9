using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary><see cref="ITradeAnalysisStore"/> in DuckDB: the statements of <see cref="TradeAnalysisSql"/> on a read connection of <see cref="TraceDatabase"/>.</summary>
public sealed class DuckDbTradeAnalysisStore(TraceDatabase database) : ITradeAnalysisStore
{
    public async Task<IReadOnlyList<VenueLatencySlippageData>> GetLatencySlippageAsync(
        TimeWindow window, LatencyBasis basis, int maxPoints, CancellationToken cancellationToken = default)
    {
        var query = Bind(new DuckDbQuery(TradeAnalysisSql.LatencySlippage), window)
            .Bind("signal", basis == LatencyBasis.Signal)
            .Bind("maxPoints", (long)maxPoints);
        var rows = await database.QueryAsync(query, row => (
            Venue: row.String("venue"),
            Point: new LatencySlippagePoint(row.String("TraceId"), row.String("OrderId"), row.Double("ms"), row.Double("bps"), row.Bool("anchored")),
            Moments: new RegressionMoments(row.Int64("n"), row.Double("mean_x"), row.Double("mean_y"), OrZero(row, "sxx"), OrZero(row, "syy"), OrZero(row, "sxy")),
            FromSignal: row.Int64("n_anchored")), cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.Venue, StringComparer.Ordinal)
            .Select(g => new VenueLatencySlippageData(g.Key, g.First().Moments, g.First().FromSignal, g.Select(r => r.Point).ToList()))
            .ToList();
    }

    public Task<ArbitrageData> GetArbitrageAsync(TimeWindow window, IReadOnlyList<double> bucketEdgesMs, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection =>
        {
            var outcomes = await Bind(new DuckDbQuery(TradeAnalysisSql.ArbitrageOutcomes), window).ReadAsync(connection, row => new ArbitrageOutcomeRow(
                row.String("outcome"), row.Int64("n"), row.Int64("n_edges"), NullableDouble(row, "expected"), NullableDouble(row, "realised")),
                cancellationToken).ConfigureAwait(false);
            var buckets = await Bind(new DuckDbQuery(TradeAnalysisSql.ArbitrageBuckets(bucketEdgesMs)), window).ReadAsync(connection, row => new ArbitrageBucketRow(
                (int)row.AnyInt64("bucket"), row.Int64("n"), row.Int64("both_filled")), cancellationToken).ConfigureAwait(false);
            var stages = await Bind(new DuckDbQuery(TradeAnalysisSql.StageEdge), window).ReadAsync(connection, row => new StageEdgeRow(
                row.String("SpanName"),
                new RegressionMoments(row.Int64("n"), row.Double("mean_x"), row.Double("mean_y"), OrZero(row, "sxx"), OrZero(row, "syy"), OrZero(row, "sxy"))),
                cancellationToken).ConfigureAwait(false);
            return new ArbitrageData(outcomes, buckets, stages);
        }, cancellationToken);

    public async Task<IReadOnlyList<RoutingPolicyRow>> GetRoutingPoliciesAsync(TimeWindow window, CancellationToken cancellationToken = default) =>
        await database.QueryAsync(Bind(new DuckDbQuery(TradeAnalysisSql.RoutingPolicies), window), row => new RoutingPolicyRow(
            row.String("policy"), row.IsNull("venue") ? null : row.String("venue"), row.Int64("n"), row.Double("mean_bps"),
            NullableDouble(row, "var_bps"), row.Double("mean_ms")), cancellationToken).ConfigureAwait(false);

    private static DuckDbQuery Bind(DuckDbQuery query, TimeWindow window) => query
        .BindTime("from", window.From).BindTime("to", window.To)
        .BindTime("slackFrom", window.From - StageSpans.TraceSlack).BindTime("slackTo", window.To + StageSpans.TraceSlack);

    private static double OrZero(DuckDbRow row, string column) => row.IsNull(column) ? 0 : row.Double(column);

    private static double? NullableDouble(DuckDbRow row, string column) => row.IsNull(column) ? null : row.Double(column);
}
