using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Exchanges;

public static class VenueEndpoints
{
    public static RouteGroupBuilder MapVenueEndpoints(this IEndpointRouteBuilder app)
    {
        var venues = app.MapGroup("/venues").WithTags("Venues");
        venues.MapGet("/", ListVenues).WithSummary("Every venue with its listings and current quotes.");
        venues.MapPost("/{venue}/orders", ExecuteAsync).WithSummary("Send an immediate-or-cancel child order to a venue (our services only: X-Service-Key).")
            .RequireServiceKey();
        venues.MapDelete("/{venue}/orders/{clientOrderId}", CancelAsync)
            .WithSummary("Cancel a child order unless it executed: answers its result, or Cancelled (then it never will execute). Our services only: X-Service-Key.")
            .RequireServiceKey();
        app.MapGet("/prices", (PriceWalk walk) => TypedResults.Ok(walk.Mids())).WithTags("Prices").WithSummary("Consolidated mid price per symbol.");
        return venues;
    }

    private static Ok<IReadOnlyList<VenueInfo>> ListVenues(PriceWalk walk, IOptionsMonitor<ExchangeOptions> options) =>
        TypedResults.Ok(VenueQuotes.Snapshot(walk, options.CurrentValue));

    private static async Task<Results<Ok<VenueOrderResult>, ProblemHttpResult>> ExecuteAsync(
        string venue,
        VenueOrderRequest order,
        PriceWalk walk,
        VenueExecutions executions,
        VenueFaults faults,
        ServiceTelemetry telemetry,
        IOptionsMonitor<ExchangeOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Venues.TryGetValue(venue, out var settings))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No venue named '{venue}'.");
        }

        var fault = faults.For(venue);
        if (fault.Down)
        {
            // Refused before anything is accepted: the child order certainly did not execute.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Venue unavailable",
                detail: $"{venue} is down (injected fault).");
        }

        if (!settings.Symbols.Contains(order.Symbol, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Symbol not listed",
                detail: $"{venue} does not list {order.Symbol}.");
        }

        if (order.Quantity <= 0 || string.IsNullOrWhiteSpace(order.ClientOrderId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid child order",
                detail: "quantity must be positive and clientOrderId present.");
        }

        using var stage = telemetry.StartStage(Stages.VenueMatch);
        stage.SetTag(TradingAttributes.Venue, venue)
            .SetTag(TradingAttributes.OrderId, order.OrderId)
            .SetTag(TradingAttributes.Symbol, order.Symbol)
            .SetTag(TradingAttributes.Side, order.Side.ToString().ToUpperInvariant())
            .SetTag(TradingAttributes.Quantity, (double)order.Quantity)
            .SetTag("trading.venue.client_order_id", order.ClientOrderId);

        var (claimed, previous) = await executions.ClaimAsync(venue, order.ClientOrderId);
        if (!claimed)
        {
            if (previous is null)
            {
                stage.Fail("in_progress", "The same child order is being executed.");
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Child order in progress",
                    detail: $"{order.ClientOrderId} is being executed; retry.");
            }

            stage.SetTag(TradingAttributes.IdempotencyReplay, true);
            Tag(stage, previous);
            return TypedResults.Ok(previous);
        }

        var latency = LatencyModel.Sample(settings, Random.Shared) + TimeSpan.FromMilliseconds(fault.ExtraLatencyMs);
        // The venue keeps matching even if the caller gave up: a child order it accepted completes.
        await Task.Delay(latency, CancellationToken.None);
        var quote = walk.Quote(venue, order.Symbol, settings);
        var result = fault.RejectAll
            ? new VenueOrderResult(order.ClientOrderId, venue, VenueOrderStatus.Rejected, 0, null, null, "venue_reject_all", latency.TotalMilliseconds, time.GetUtcNow())
            : VenueMatcher.Match(venue, settings, order, quote, Random.Shared, latency, time.GetUtcNow());
        await executions.CompleteAsync(result);

        Tag(stage, result);
        if (result.Status is VenueOrderStatus.Rejected)
        {
            stage.Fail("venue_reject", $"{venue} rejected {order.ClientOrderId}");
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<VenueOrderResult>, ProblemHttpResult>> CancelAsync(
        string venue, string clientOrderId, VenueExecutions executions, VenueFaults faults, IOptionsMonitor<ExchangeOptions> options)
    {
        if (!options.CurrentValue.Venues.ContainsKey(venue))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No venue named '{venue}'.");
        }

        if (faults.For(venue).Down)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Venue unavailable", detail: $"{venue} is down (injected fault).");
        }

        var result = await executions.CancelAsync(venue, clientOrderId);
        return result is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Child order in progress", detail: $"{clientOrderId} is still executing; retry.")
            : TypedResults.Ok(result);
    }

    private static void Tag(StageScope stage, VenueOrderResult result)
    {
        stage.SetTag(TradingAttributes.OrderStatus, result.Status.ToString())
            .SetTag(TradingAttributes.FillQuantity, (double)result.FilledQuantity)
            .SetTag(TradingAttributes.FillPrice, result.Price is { } p ? (double)p : null)
            .SetTag(TradingAttributes.VenueLatencyMs, result.LatencyMs);
        if (result.Reason is not null)
        {
            stage.Activity?.AddEvent(new ActivityEvent(result.Status.ToString(), tags: new ActivityTagsCollection { ["reason"] = result.Reason }));
        }
    }
}
