using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>A time window [From, To), UTC.</summary>
public sealed record TimeWindow(DateTime From, DateTime To)
{
    public TimeSpan Length => To - From;

    /// <summary>The window of the same length just before this one.</summary>
    public TimeWindow Previous() => new(From - Length, From);
}

/// <summary>
/// Collects what is wrong with a request's query parameters, field by field, and answers with a 400
/// ValidationProblem whose <c>errors</c> name each field.
/// </summary>
public sealed class QueryErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        title: "Invalid query parameters",
        detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
}

/// <summary>Parses the query parameters the analytics endpoints share, reporting every problem to <see cref="QueryErrors"/>.</summary>
public static partial class QueryParameters
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>
    /// A length such as <c>15m</c>, <c>1h</c>, <c>30s</c>, <c>500ms</c>, <c>2d</c>, <c>1h30m</c> or an ISO 8601 duration (<c>PT15M</c>).
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.StartsWith('P') || text.StartsWith('p'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text.ToUpperInvariant());
                return duration > TimeSpan.Zero;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            return false;
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            if (!double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unit = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                "d" => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            if (amount * unit.TotalDays > 3650)
            {
                return false;
            }

            total += unit * amount;
        }

        duration = total;
        return duration > TimeSpan.Zero;
    }

    /// <summary>An ISO 8601 date and time; without an offset it is taken as UTC.</summary>
    public static bool TryParseInstant(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text)
            || !DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        utc = parsed.UtcDateTime;
        return true;
    }

    /// <summary>
    /// The window from <c>from</c>/<c>to</c> (ISO 8601) or <c>window</c> (a length ending at <c>to</c>, or now):
    /// from+to; from alone (to = now); to alone or nothing (the window, default 15 minutes, ending there).
    /// </summary>
    public static TimeWindow? ParseWindow(
        string? from, string? to, string? window, DateTime now, QueryErrors errors,
        string fromField = "from", string toField = "to", string windowField = "window", TimeSpan? defaultWindow = null)
    {
        DateTime? start = null, end = null;
        TimeSpan? length = null;
        var valid = true;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (TryParseInstant(from, out var value))
            {
                start = value;
            }
            else
            {
                errors.Add(fromField, $"'{from}' is not an ISO 8601 date and time (e.g. 2025-01-31T14:00:00Z)");
                valid = false;
            }
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            if (TryParseInstant(to, out var value))
            {
                end = value;
            }
            else
            {
                errors.Add(toField, $"'{to}' is not an ISO 8601 date and time (e.g. 2025-01-31T14:15:00Z)");
                valid = false;
            }
        }

        if (!string.IsNullOrWhiteSpace(window))
        {
            if (TryParseDuration(window, out var value))
            {
                length = value;
            }
            else
            {
                errors.Add(windowField, $"'{window}' is not a duration: use e.g. 15m, 1h, 30s, 2d or PT15M");
                valid = false;
            }
        }

        if (!valid)
        {
            return null;
        }

        if (start is not null && end is not null && length is not null)
        {
            errors.Add(windowField, $"give either {fromField} and {toField} or {windowField}, not all three");
            return null;
        }

        var resolvedEnd = end ?? (start is not null && length is not null ? start.Value + length.Value : now);
        var resolvedStart = start ?? resolvedEnd - (length ?? defaultWindow ?? DefaultWindow);
        if (resolvedStart >= resolvedEnd)
        {
            errors.Add(fromField, $"{fromField} must be before {toField}");
            return null;
        }

        if (resolvedEnd - resolvedStart > MaxWindow)
        {
            errors.Add(windowField, $"the window is longer than {MaxWindow.TotalDays:0} days");
            return null;
        }

        return new TimeWindow(resolvedStart, resolvedEnd);
    }

    public static int ParseInt(string? text, string field, int defaultValue, int min, int max, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(field, $"'{text}' is not a whole number from {min} to {max}");
            return defaultValue;
        }

        return value;
    }

    public static double? ParseMilliseconds(string? text, string field, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            errors.Add(field, $"'{text}' is not a non-negative number of milliseconds");
            return null;
        }

        return value;
    }

    /// <summary>Base64url of "ticks|traceId|spanId".</summary>
    public static string EncodeCursor(Storage.SpanCursor cursor) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{cursor.Timestamp.Ticks}|{cursor.TraceId}|{cursor.SpanId}")))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Storage.SpanCursor? ParseCursor(string? text, string field, QueryErrors errors)
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
                return new Storage.SpanCursor(new DateTime(ticks, DateTimeKind.Utc), traceId, parts[2]);
            }
        }
        catch (FormatException)
        {
        }

        errors.Add(field, "not a cursor returned by this endpoint (nextCursor)");
        return null;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
