using System.Text.RegularExpressions;
using TradingAspire.Contracts;

namespace TradingAspire.Gateway;

/// <summary>Field rules for a new order; every broken rule is reported under its field's name.</summary>
public static partial class OrderValidator
{
    public const decimal MaxQuantity = 1_000_000_000m;
    public const int MaxDecimals = 8;

    public static ValidOrder? Validate(OrderRequest request, IDictionary<string, List<string>> errors)
    {
        var clientId = request.ClientId;
        if (string.IsNullOrWhiteSpace(clientId))
        {
            OrderRequestParser.Add(errors, OrderRequestParser.ClientId, "clientId is required.");
        }
        else if (!ClientIdPattern().IsMatch(clientId))
        {
            OrderRequestParser.Add(errors, OrderRequestParser.ClientId, "clientId must be 1-64 letters, digits, '-' or '_'.");
        }

        Instrument? instrument = null;
        if (string.IsNullOrWhiteSpace(request.Symbol))
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Symbol, "symbol is required.");
        }
        else if (!InstrumentCatalog.TryGet(request.Symbol, out var found))
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Symbol,
                $"symbol '{Truncate(request.Symbol)}' is not traded; known symbols: {string.Join(", ", InstrumentCatalog.All.Select(i => i.Symbol))}.");
        }
        else
        {
            instrument = found;
        }

        var side = ParseEnum<OrderSide>(request.Side, OrderRequestParser.Side, "BUY or SELL", errors);
        var type = ParseEnum<OrderType>(request.Type, OrderRequestParser.Type, "MARKET or LIMIT", errors);

        if (request.Quantity is not { } quantity)
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Quantity, "quantity is required.");
        }
        else if (quantity <= 0)
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Quantity, "quantity must be greater than 0.");
        }
        else if (quantity > MaxQuantity)
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Quantity, $"quantity must be at most {MaxQuantity}.");
        }
        else if (quantity.Scale > MaxDecimals && decimal.Round(quantity, MaxDecimals) != quantity)
        {
            OrderRequestParser.Add(errors, OrderRequestParser.Quantity, $"quantity may have at most {MaxDecimals} decimals.");
        }

        if (type == OrderType.Limit)
        {
            if (request.LimitPrice is not { } limit)
            {
                OrderRequestParser.Add(errors, OrderRequestParser.LimitPrice, "limitPrice is required for LIMIT orders.");
            }
            else if (limit <= 0)
            {
                OrderRequestParser.Add(errors, OrderRequestParser.LimitPrice, "limitPrice must be greater than 0.");
            }
        }
        else if (type == OrderType.Market && request.LimitPrice is not null)
        {
            OrderRequestParser.Add(errors, OrderRequestParser.LimitPrice, "limitPrice must be omitted for MARKET orders.");
        }

        var timeInForce = NewOrder.DefaultTimeInForce;
        if (request.TimeInForceSeconds is { } seconds)
        {
            if (seconds < 1 || seconds > (decimal)NewOrder.MaxTimeInForce.TotalSeconds)
            {
                OrderRequestParser.Add(errors, OrderRequestParser.TimeInForceSeconds,
                    $"timeInForceSeconds must be between 1 and {NewOrder.MaxTimeInForce.TotalSeconds}.");
            }
            else
            {
                timeInForce = TimeSpan.FromSeconds((double)seconds);
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new ValidOrder(clientId!, instrument!, side!.Value, type!.Value, request.Quantity!.Value,
            type == OrderType.Limit ? request.LimitPrice : null, timeInForce);
    }

    private static TEnum? ParseEnum<TEnum>(string? value, string field, string allowed, IDictionary<string, List<string>> errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            OrderRequestParser.Add(errors, field, $"{field} is required ({allowed}).");
            return null;
        }

        if (Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && !int.TryParse(value, out _) && Enum.IsDefined(parsed))
        {
            return parsed;
        }

        OrderRequestParser.Add(errors, field, $"{field} must be {allowed}, not '{Truncate(value)}'.");
        return null;
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ClientIdPattern();
}
