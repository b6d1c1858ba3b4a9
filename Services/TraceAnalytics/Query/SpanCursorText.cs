using System.Globalization;
using System.Text;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>The <c>nextCursor</c>/<c>cursor</c> of the span search: a <see cref="SpanCursor"/> as URL-safe text.</summary>
public static class SpanCursorText
{
    /// <summary>Base64url of "ticks|traceId|spanId".</summary>
    public static string Encode(SpanCursor cursor) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{cursor.Timestamp.Ticks}|{cursor.TraceId}|{cursor.SpanId}")))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static SpanCursor? Parse(string? text, string field, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|');
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks
                && TraceIdFormat.TryNormalize(parts[1], out var traceId)
                && parts[2].Length == 16)
            {
                return new SpanCursor(new DateTime(ticks, DateTimeKind.Utc), traceId, parts[2]);
            }
        }
        catch (FormatException)
        {
        }

        errors.Add(field, "not a cursor returned by this endpoint (nextCursor)");
        return null;
    }
}
