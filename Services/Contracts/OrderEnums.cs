using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradingAspire.Contracts;

/// <summary>Buy or sell; written as <c>BUY</c>/<c>SELL</c> on the wire.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<OrderSide>))]
public enum OrderSide { Buy, Sell }

/// <summary>Market or limit; written as <c>MARKET</c>/<c>LIMIT</c> on the wire.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<OrderType>))]
public enum OrderType { Market, Limit }

/// <summary>Where an order stands. Everything but <see cref="Accepted"/> is final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus { Accepted, Rejected, Filled, PartiallyFilled, Failed }

public sealed class UpperSnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    where TEnum : struct, Enum;

public static class OrderStatusExtensions
{
    public static bool IsFinal(this OrderStatus status) => status != OrderStatus.Accepted;
}
