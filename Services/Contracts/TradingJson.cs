using System.Text.Json;

namespace TradingAspire.Contracts;

/// <summary>The JSON settings for every message on a stream (web defaults: camelCase).</summary>
public static class TradingJson
{
    /// <summary>
    /// Web defaults, plus: a missing constructor parameter or a null in a non-nullable property is an
    /// error, so a malformed entry is rejected as poison instead of becoming an order full of nulls.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
