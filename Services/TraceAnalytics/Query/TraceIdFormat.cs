namespace TradingAspire.TraceAnalytics.Query;

/// <summary>W3C trace ids as the store keeps them: 32 lower-case hex characters.</summary>
public static class TraceIdFormat
{
    public const int Length = 32;

    public static bool TryNormalize(string? value, out string traceId)
    {
        traceId = "";
        if (value is null || value.Length != Length || !value.AsSpan().ContainsOnlyHex())
        {
            return false;
        }

        traceId = value.ToLowerInvariant();
        return true;
    }

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
