using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

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
        var valid = true;
        DateTime? Instant(string? text, string field, string example)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (TryParseInstant(text, out var value))
            {
                return value;
            }

            errors.Add(field, $"'{text}' is not an ISO 8601 date and time (e.g. {example})");
            valid = false;
            return null;
        }

        var start = Instant(from, fromField, "2025-01-31T14:00:00Z");
        var end = Instant(to, toField, "2025-01-31T14:15:00Z");
        TimeSpan? length = null;
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

    /// <summary>A text parameter: null when absent or blank, else trimmed.</summary>
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Comma-separated dimensions (stage, service, venue, symbol), each once; by stage when none.</summary>
    public static IReadOnlyList<LatencyDimension> ParseGroupBy(string? text, string field, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [LatencyDimension.Stage];
        }

        var dimensions = new List<LatencyDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse<LatencyDimension>(part, ignoreCase: true, out var dimension) && !int.TryParse(part, out _))
            {
                if (!dimensions.Contains(dimension))
                {
                    dimensions.Add(dimension);
                }
            }
            else
            {
                errors.Add(field, $"'{part}' is not one of stage, service, venue, symbol");
            }
        }

        return dimensions.Count == 0 ? [LatencyDimension.Stage] : dimensions;
    }

    /// <summary>A span status (ok, error, unset; any case) as the store writes it; null when absent.</summary>
    public static string? ParseStatus(string? text, string field, QueryErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var status = text.Trim().ToLowerInvariant() switch
        {
            "ok" => SpanRecord.StatusCodes.Ok,
            "error" => SpanRecord.StatusCodes.Error,
            "unset" => SpanRecord.StatusCodes.Unset,
            _ => null,
        };
        if (status is null)
        {
            errors.Add(field, $"'{text}' is not a status: use ok, error or unset");
        }

        return status;
    }

    /// <summary>Attribute filters, each <c>key=value</c> (the value may hold further '=').</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseAttributes(IEnumerable<string?>? pairs, string field, QueryErrors errors)
    {
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var pair in pairs ?? [])
        {
            var separator = pair?.IndexOf('=') ?? -1;
            if (separator <= 0)
            {
                errors.Add(field, $"'{pair}' is not key=value");
                continue;
            }

            attributes.Add(new(pair![..separator], pair[(separator + 1)..]));
        }

        return attributes;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
