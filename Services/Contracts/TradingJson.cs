using System.Text.Json;

namespace TradingAspire.Contracts;

/// <summary>The JSON settings for every message on a stream (web defaults: camelCase).</summary>
public static class TradingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
