using System.Text.Json.Serialization;

namespace TradingAspire.Contracts;

/// <summary>A child order sent by execution to one venue (immediate-or-cancel).</summary>
public sealed record VenueOrderRequest(
    string ClientOrderId,
    string OrderId,
    string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice);

[JsonConverter(typeof(JsonStringEnumConverter<VenueOrderStatus>))]
public enum VenueOrderStatus { Filled, PartiallyFilled, Rejected, NotMarketable, Cancelled }

/// <summary>What a venue did with a child order. The same ClientOrderId always gets the same answer.</summary>
public sealed record VenueOrderResult(
    string ClientOrderId,
    string Venue,
    VenueOrderStatus Status,
    decimal FilledQuantity,
    decimal? Price,
    string? ExecutionId,
    string? Reason,
    double LatencyMs,
    DateTimeOffset At);

/// <summary>A venue's top of book for one symbol.</summary>
public sealed record VenueQuote(decimal Bid, decimal Ask);

/// <summary>A venue as execution sees it: what it lists and its current quotes.</summary>
public sealed record VenueInfo(string Name, IReadOnlyList<string> Symbols, IReadOnlyDictionary<string, VenueQuote> Quotes);
