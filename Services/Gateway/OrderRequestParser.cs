using System.Text.Json;

namespace TradingAspire.Gateway;

/// <summary>
/// Reads the POST /orders body field by field, so a wrong type names the field it is in
/// ("quantity must be a number") instead of failing the whole body.
/// </summary>
public static class OrderRequestParser
{
    public const string ClientId = "clientId";
    public const string Symbol = "symbol";
    public const string Side = "side";
    public const string Type = "type";
    public const string Quantity = "quantity";
    public const string LimitPrice = "limitPrice";
    public const string TimeInForceSeconds = "timeInForceSeconds";

    public static OrderRequest Parse(JsonElement body, IDictionary<string, List<string>> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "body", "The body must be a JSON object.");
            return new OrderRequest(null, null, null, null, null, null);
        }

        return new OrderRequest(
            ReadString(body, ClientId, errors),
            ReadString(body, Symbol, errors),
            ReadString(body, Side, errors),
            ReadString(body, Type, errors),
            ReadNumber(body, Quantity, errors),
            ReadNumber(body, LimitPrice, errors),
            ReadNumber(body, TimeInForceSeconds, errors));
    }

    /// <summary>
    /// The member named <paramref name="name"/> (any case). A name given twice — even in another case,
    /// like "quantity" and "Quantity" — is ambiguous and refused rather than one of them picked.
    /// </summary>
    private static bool TryGet(JsonElement body, string name, IDictionary<string, List<string>> errors, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var property in body.EnumerateObject())
        {
            if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found)
            {
                Add(errors, name, $"{name} is given more than once; send it once.");
                value = default;
                return false;
            }

            found = true;
            value = property.Value;
        }

        return found && value.ValueKind != JsonValueKind.Null;
    }

    private static string? ReadString(JsonElement body, string name, IDictionary<string, List<string>> errors)
    {
        if (!TryGet(body, name, errors, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Add(errors, name, $"{name} must be a string.");
        return null;
    }

    private static decimal? ReadNumber(JsonElement body, string name, IDictionary<string, List<string>> errors)
    {
        if (!TryGet(body, name, errors, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            Add(errors, name, $"{name} must be a number.");
            return null;
        }

        if (!value.TryGetDecimal(out var number))
        {
            Add(errors, name, $"{name} is out of range.");
            return null;
        }

        return number;
    }

    internal static void Add(IDictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}
