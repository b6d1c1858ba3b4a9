using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>
/// <c>orders.approved</c> → (<c>order.route</c> → <c>order.execute</c> → venue)… → <c>orders.filled</c>.
/// Routes each child order to the best-ranked venue; a reject, a partial fill or a limit that does
/// not cross sends the remainder to the next venue, up to MaxLegs. A venue that cannot be reached
/// (down, circuit open) is not an answer: while the order's time in force lasts it waits for the
/// venues that could take it (the delivery is retried), and only then fails as <c>expired</c>. The
/// report carries every fill, the average price and the slippage against the arrival price.
/// </summary>
public sealed class ExecuteOrderHandler(
    ServiceTelemetry telemetry,
    ExecutionMetrics metrics,
    VenueCatalog catalog,
    VenueGateway venues,
    ExecutionLegs legStore,
    RoutePricing pricing,
    IOptionsMonitor<ExecutionOptions> options,
    ILogger<ExecuteOrderHandler> logger) : IStreamHandler<ApprovedOrder>
{
    public async Task HandleAsync(StreamMessage<ApprovedOrder> message, CancellationToken cancellationToken)
    {
        var order = message.Body.Order;
        var settings = options.CurrentValue;
        var (policy, penalty) = pricing.For(order.OrderId);
        await WaitForCatalogAsync(cancellationToken);

        var legs = await legStore.LoadAsync(order, beforePartitions: StreamPartitions.TagIn(message.Stream).Length == 0);
        var awayNow = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // venues found unreachable in this delivery
        string? failure = null;
        double routeMs = 0, executeMs = 0;

        // A leg recorded but never answered (the last delivery crashed or lost the venue's answer)
        // goes again under its ClientOrderId; the venue answers with what it did the first time.
        for (var i = 0; i < legs.Count; i++)
        {
            if (legs[i].Result is null)
            {
                (legs[i], var ms) = await SendLegAsync(order, legs[i], order.Quantity - FilledQuantity(legs), cancellationToken);
                executeMs += ms;
            }
        }

        while (order.Quantity - FilledQuantity(legs) is var remaining && remaining > 0)
        {
            if (legs.Count(l => l.Answered) >= settings.MaxLegs)
            {
                failure ??= "max_legs";
                break;
            }

            var answered = new HashSet<string>(legs.Where(l => l.Answered).Select(l => l.Venue), StringComparer.OrdinalIgnoreCase);
            ExecutionLeg leg;
            using (var route = telemetry.StartStage(Stages.Route))
            {
                var unavailable = new HashSet<string>(venues.Unavailable.Concat(awayNow), StringComparer.OrdinalIgnoreCase);
                var quotes = catalog.QuotesFor(order.Symbol);
                var candidates = VenueRouter.Rank(order, quotes.Fresh, catalog.LatencyMs, new HashSet<string>(answered.Concat(unavailable), StringComparer.OrdinalIgnoreCase),
                    penalty, settings.UnknownVenueLatencyMs);
                if (unavailable.Count > 0)
                {
                    route.SetTag("trading.route.unavailable_venues", string.Join(",", unavailable));
                }

                if (quotes.Stale.Count > 0)
                {
                    route.SetTag(TradingAttributes.StaleVenues, string.Join(",", quotes.Stale.Select(v => v.Name)));
                }

                route.SetTag(TradingAttributes.RouteCandidates, VenueRouter.Describe(candidates))
                    .SetTag("trading.route.leg", legs.Count)
                    .SetTag(TradingAttributes.RoutePolicy, policy)
                    .SetTag(TradingAttributes.Quantity, (double)remaining);
                if (candidates.Count == 0)
                {
                    // Venues that could take it but are away right now: wait for them while the order's time in force lasts.
                    var waitingFor = VenueRouter.Rank(order, quotes.All, catalog.LatencyMs, answered, penalty, settings.UnknownVenueLatencyMs)
                        .Select(c => c.Venue).ToList();
                    routeMs += route.ElapsedMilliseconds;
                    if (waitingFor.Count > 0 && DateTimeOffset.UtcNow < order.Expiry)
                    {
                        route.SetTag(TradingAttributes.RouteWaitingFor, string.Join(",", waitingFor));
                        route.Activity?.AddEvent(new System.Diagnostics.ActivityEvent("route.wait"));
                        throw new TransientMessageException(
                            $"Order {order.OrderId}: {string.Join(", ", waitingFor)} unavailable; waiting for them until {order.Expiry:O}.");
                    }

                    failure = waitingFor.Count > 0 ? "expired" : NoVenueReason(order, answered, unavailable);
                    route.Fail(failure == "expired" ? "expired" : "no_venue",
                        failure == "expired" ? $"No venue came back before the order's time in force ran out ({order.Expiry:O})." : failure);
                    break;
                }

                var best = candidates[0];
                route.SetTag(TradingAttributes.Venue, best.Venue)
                    .SetTag(TradingAttributes.PriceAgeMs, quotes.AgeMs(best.Venue))
                    .SetTag(TradingAttributes.RouteLatencyPenalty, penalty(best.Venue))
                    .SetTag(TradingAttributes.RouteReason, $"lowest cost {best.Score} bps-equivalent of {candidates.Count}");
                leg = await legStore.RecordIntentAsync(order, new ExecutionLeg(legs.Count, best.Venue, $"{order.OrderId}-{legs.Count}", null));
                legs.Add(leg);
                routeMs += route.ElapsedMilliseconds;
            }

            if (leg.Result is null)
            {
                (leg, var ms) = await SendLegAsync(order, leg, remaining, cancellationToken);
                executeMs += ms;
                legs[leg.Index] = leg;
            }

            if (leg.VenueAway)
            {
                awayNow.Add(leg.Venue);
            }
            else if (leg.Result is { FilledQuantity: 0 } r)
            {
                failure = r.Reason ?? r.Status.ToString();
            }
        }

        order = order.WithTiming(Stages.Route, routeMs).WithTiming(Stages.Execute, executeMs);
        var report = BuildReport(order, message.Body.ReferencePrice, legs.Where(l => l.Answered).ToList(), failure);
        if (report.SlippageBps is { } bps)
        {
            metrics.Slippage(report.Venue, order.Symbol, bps);
            Activity.Current?.SetTag(TradingAttributes.SlippageBps, bps).SetTag(TradingAttributes.RoutePolicy, policy);
        }

        ExecutionLog.Executed(logger, order.OrderId, report.Status, report.FilledQuantity, order.Quantity, report.Venue ?? "-", report.SlippageBps ?? 0);
        message.Forward(Streams.OrdersFilled, report);
    }

    /// <summary>Sends one child order and records what the venue did (or that it could not be reached).</summary>
    private async Task<(ExecutionLeg Leg, double Milliseconds)> SendLegAsync(NewOrder order, ExecutionLeg leg, decimal quantity, CancellationToken cancellationToken)
    {
        var (result, ms, away) = await ExecuteLegAsync(order, leg, quantity, cancellationToken);
        leg = leg with { Result = result, VenueAway = away };
        await legStore.RecordResultAsync(order, leg);
        return (leg, ms);
    }

    private async Task<(VenueOrderResult Result, double Milliseconds, bool VenueAway)> ExecuteLegAsync(
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

            return (result, execute.ElapsedMilliseconds, call is VenueCall.NotExecuted);
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

    private static string NoVenueReason(NewOrder order, IReadOnlyCollection<string> tried, IReadOnlyCollection<string> unavailable) =>
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
        for (var i = 0; i < 100 && !catalog.HasQuotes; i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        if (!catalog.HasQuotes)
        {
            throw new TransientMessageException("No venue quotes yet from the market-data service.");
        }
    }
}

internal static partial class ExecutionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} {Status}: {Filled}/{Quantity} at {Venue}, slippage {SlippageBps} bps")]
    public static partial void Executed(ILogger logger, string orderId, OrderStatus status, decimal filled, decimal quantity, string venue, double slippageBps);
}
