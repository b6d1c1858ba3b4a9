using TradingAspire.Contracts;

namespace TradingAspire.Exchanges;

/// <summary>
/// Decides what a venue does with an immediate-or-cancel child order at its current quote: reject
/// (by chance), not marketable (a limit that does not cross), a partial or a full fill at the touch.
/// Pure given the random source, so its rules are unit-tested.
/// </summary>
public static class VenueMatcher
{
    public static VenueOrderResult Match(
        string venue, VenueOptions options, VenueOrderRequest order, VenueQuote quote, Random random, TimeSpan latency, DateTimeOffset now)
    {
        VenueOrderResult Result(VenueOrderStatus status, decimal qty, decimal? price, string? reason) =>
            new(order.ClientOrderId, venue, status, qty, price,
                qty > 0 ? $"{venue}-{Guid.CreateVersion7(now):N}" : null, reason,
                Math.Round(latency.TotalMilliseconds, 3), now);

        if (random.NextDouble() < options.RejectProbability)
        {
            return Result(VenueOrderStatus.Rejected, 0, null, "venue_reject");
        }

        var touch = order.Side == OrderSide.Buy ? quote.Ask : quote.Bid;
        if (order.Type == OrderType.Limit && order.LimitPrice is { } limit)
        {
            var crosses = order.Side == OrderSide.Buy ? limit >= touch : limit <= touch;
            if (!crosses)
            {
                return Result(VenueOrderStatus.NotMarketable, 0, null, $"limit {limit} does not cross {touch}");
            }
        }

        if (random.NextDouble() < options.PartialFillProbability)
        {
            var fraction = (decimal)(0.3 + 0.6 * random.NextDouble());
            var qty = Math.Round(order.Quantity * fraction, 8, MidpointRounding.ToZero);
            if (qty > 0 && qty < order.Quantity)
            {
                return Result(VenueOrderStatus.PartiallyFilled, qty, touch, "partial_liquidity");
            }
        }

        return Result(VenueOrderStatus.Filled, order.Quantity, touch, null);
    }
}
