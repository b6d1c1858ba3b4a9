using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>
/// <c>orders.approved</c> → (<c>order.route</c> → <c>order.execute</c> → venue)… → <c>orders.filled</c>.
/// Routes each child order to the best-ranked venue; a reject, a partial fill or a limit that does
/// not cross sends the remainder to the next venue, up to MaxLegs. The report carries every fill,
/// the average price and the slippage against the arrival price.
/// </summary>
public sealed class ExecuteOrderHandler(
    ServiceTelemetry telemetry,
    ExecutionMetrics metrics,
    VenueCatalog catalog,
    VenueGateway venues,
    ExecutionLegs legStore,
    IStreamPublisher publisher,
    IOptionsMonitor<ExecutionOptions> options,
    ILogger<ExecuteOrderHandler> logger) : IStreamHandler<ApprovedOrder>
{
    public async Task HandleAsync(StreamMessage<ApprovedOrder> message, CancellationToken cancellationToken)
    {
        var order = message.Body.Order.WithTiming("queue." + Streams.OrdersApproved, (DateTimeOffset.UtcNow - message.EnqueuedAt).TotalMilliseconds);
        var settings = options.CurrentValue;
        await WaitForCatalogAsync(cancellationToken);

        var legs = await legStore.LoadAsync(order.OrderId);
        var tried = new HashSet<string>(legs.Select(l => l.Venue), StringComparer.OrdinalIgnoreCase);
        string? failure = null;
        double routeMs = 0, executeMs = 0;

        for (var index = 0; index < settings.MaxLegs; index++)
        {
            var remaining = order.Quantity - FilledQuantity(legs);
            if (remaining <= 0)
            {
                break;
            }

            ExecutionLeg leg;
            if (index < legs.Count)
            {
                leg = legs[index];
            }
            else
            {
                using var route = telemetry.StartStage(Stages.Route);
                var unavailable = venues.Unavailable;
                var candidates = VenueRouter.Rank(order, catalog.Venues, catalog.LatencyMs, new HashSet<string>(tried.Concat(unavailable), StringComparer.OrdinalIgnoreCase),
                    settings.LatencyPenaltyBpsPerMs, settings.UnknownVenueLatencyMs);
                if (unavailable.Count > 0)
                {
                    route.SetTag("trading.route.unavailable_venues", string.Join(",", unavailable));
                }

                route.SetTag(TradingAttributes.RouteCandidates, VenueRouter.Describe(candidates))
                    .SetTag("trading.route.leg", index)
                    .SetTag(TradingAttributes.Quantity, (double)remaining);
                if (candidates.Count == 0)
                {
                    failure = NoVenueReason(order, tried, venues.Unavailable);
                    route.Fail("no_venue", failure);
                    routeMs += route.ElapsedMilliseconds;
                    break;
                }

                var best = candidates[0];
                route.SetTag(TradingAttributes.Venue, best.Venue)
                    .SetTag(TradingAttributes.RouteReason, $"lowest cost {best.Score} bps-equivalent of {candidates.Count}");
                leg = await legStore.RecordIntentAsync(order.OrderId, new ExecutionLeg(index, best.Venue, $"{order.OrderId}-{index}", null));
                legs.Add(leg);
                routeMs += route.ElapsedMilliseconds;
            }

            tried.Add(leg.Venue);
            if (leg.Result is null)
            {
                var (result, ms) = await ExecuteLegAsync(order, leg, remaining, cancellationToken);
                executeMs += ms;
                leg = leg with { Result = result };
                legs[index] = leg;
                await legStore.RecordResultAsync(order.OrderId, leg);
            }

            if (leg.Result is { FilledQuantity: 0 } r)
            {
                failure = r.Reason ?? r.Status.ToString();
            }
        }

        order = order.WithTiming(Stages.Route, routeMs).WithTiming(Stages.Execute, executeMs);
        var report = BuildReport(order, message.Body.ReferencePrice, legs, failure);
        if (report.SlippageBps is { } bps)
        {
            metrics.Slippage(report.Venue, order.Symbol, bps);
            Activity.Current?.SetTag(TradingAttributes.SlippageBps, bps);
        }

        ExecutionLog.Executed(logger, order.OrderId, report.Status, report.FilledQuantity, order.Quantity, report.Venue ?? "-", report.SlippageBps ?? 0);
        await publisher.PublishAsync(Streams.OrdersFilled, report, cancellationToken);
    }

    private async Task<(VenueOrderResult Result, double Milliseconds)> ExecuteLegAsync(
        NewOrder order, ExecutionLeg leg, decimal quantity, CancellationToken cancellationToken)
    {
        using var execute = telemetry.StartStage(Stages.Execute, ActivityKind.Internal);
        execute.SetTag(TradingAttributes.Venue, leg.Venue)
            .SetTag("trading.venue.client_order_id", leg.ClientOrderId)
            .SetTag(TradingAttributes.Quantity, (double)quantity);
        var request = new VenueOrderRequest(leg.ClientOrderId, order.OrderId, order.Symbol, order.Side, order.Type, quantity, order.LimitPrice);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var call = await venues.SendAsync(leg.Venue, request, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var result = call switch
            {
                VenueCall.Answered answered => answered.Result,
                VenueCall.NotExecuted notExecuted => Refused(leg, notExecuted.Reason, elapsed),
                _ => throw new InvalidOperationException($"Unexpected venue call outcome {call}."),
            };
            if (call is VenueCall.Answered)
            {
                catalog.ObserveLatency(leg.Venue, elapsed.TotalMilliseconds);
            }

            metrics.VenueCall(leg.Venue, result.Status.ToString(), elapsed.TotalSeconds);
            execute.SetTag(TradingAttributes.OrderStatus, result.Status.ToString())
                .SetTag(TradingAttributes.FillQuantity, (double)result.FilledQuantity)
                .SetTag(TradingAttributes.FillPrice, result.Price is { } p ? (double)p : null);
            if (result.FilledQuantity == 0)
            {
                var errorType = result.Status switch
                {
                    VenueOrderStatus.NotMarketable => "not_marketable",
                    VenueOrderStatus.Cancelled => "cancelled_unknown_outcome",
                    _ when call is VenueCall.NotExecuted => "venue_unavailable",
                    _ => "venue_reject",
                };
                execute.Fail(errorType, $"{leg.Venue}: {result.Status} {result.Reason}");
            }

            return (result, execute.ElapsedMilliseconds);
        }
        catch (VenueOutcomeUnknownException ex)
        {
            // Neither the order nor its cancellation got through: fail this delivery; the retry
            // re-sends the same ClientOrderId and the venue answers with what it actually did.
            execute.Fail("outcome_unknown", ex.Message, ex);
            throw;
        }
    }

    private static VenueOrderResult Refused(ExecutionLeg leg, string reason, TimeSpan elapsed) =>
        new(leg.ClientOrderId, leg.Venue, VenueOrderStatus.Rejected, 0, null, null, reason, elapsed.TotalMilliseconds, DateTimeOffset.UtcNow);

    private static decimal FilledQuantity(IEnumerable<ExecutionLeg> legs) => legs.Sum(l => l.Result?.FilledQuantity ?? 0);

    private static string NoVenueReason(NewOrder order, IReadOnlySet<string> tried, IReadOnlySet<string> unavailable) =>
        unavailable.Count > 0 && tried.Count == 0 ? "no_venue_available"
        : tried.Count == 0 ? order.Type == OrderType.Limit ? "no_marketable_venue" : "no_venue_lists_symbol"
        : "no_venue_left";

    private static ExecutionReport BuildReport(NewOrder order, decimal referencePrice, IReadOnlyList<ExecutionLeg> legs, string? failure)
    {
        var fills = legs
            .Where(l => l.Result is { FilledQuantity: > 0, Price: not null })
            .Select(l => new Fill(l.Result!.ExecutionId ?? l.ClientOrderId, l.Venue, l.Result.FilledQuantity, l.Result.Price!.Value, l.Result.At))
            .ToList();
        var filled = fills.Sum(f => f.Quantity);
        var status = filled == 0 ? OrderStatus.Failed : filled >= order.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        var average = Slippage.AveragePrice(fills);
        double? slippage = average is { } avg ? Slippage.Bps(order.Side, referencePrice, avg) : null;
        var venue = fills.Count == 0 ? legs.LastOrDefault()?.Venue : fills.GroupBy(f => f.Venue).OrderByDescending(g => g.Sum(f => f.Quantity)).First().Key;
        return new ExecutionReport(order, status, fills, filled, average, referencePrice, slippage, venue,
            status == OrderStatus.Filled ? null : failure ?? "remainder_unfilled");
    }

    private async Task WaitForCatalogAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100 && catalog.Venues.Count == 0; i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        if (catalog.Venues.Count == 0)
        {
            throw new TransientMessageException("No venue listings yet from the exchanges service.");
        }
    }
}

internal static partial class ExecutionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} {Status}: {Filled}/{Quantity} at {Venue}, slippage {SlippageBps} bps")]
    public static partial void Executed(ILogger logger, string orderId, OrderStatus status, decimal filled, decimal quantity, string venue, double slippageBps);
}
