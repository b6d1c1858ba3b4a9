using System.Globalization;

namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>Durations and windows as people write them: "412 ms", "1.25 s", "0.35 ms", "15-minute".</summary>
public static class DurationText
{
    public static string Ms(double milliseconds) => milliseconds switch
    {
        >= 10_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.#} s"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.00} s"),
        >= 10 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
        >= 1 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.#} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.##} ms"),
    };

    /// <summary>"15-minute", "1-hour", "90-second": the adjective for a window's length.</summary>
    public static string WindowAdjective(TimeSpan length)
    {
        if (length.TotalDays >= 1 && length.TotalDays % 1 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{length.TotalDays:0}-day");
        }

        if (length.TotalHours >= 1 && length.TotalHours % 1 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{length.TotalHours:0}-hour");
        }

        if (length.TotalMinutes >= 1 && length.TotalMinutes % 1 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{length.TotalMinutes:0}-minute");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{length.TotalSeconds:0.#}-second");
    }

    public static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0}%");
}
