using System.Globalization;

namespace TradingAspire.Load.Suite;

/// <summary>One tracing setting the suite runs the system under: off, or head sampling at a ratio.</summary>
public sealed record TracingSetting(string Label, string Slug, double? Ratio)
{
    public bool Off => Ratio is null;

    /// <summary>The AppHost arguments that select it (the AppHost hands section Tracing to every service).</summary>
    public IEnumerable<string> AppHostArguments() => Off
        ? ["--Tracing:Enabled=false"]
        : ["--Tracing:Enabled=true", string.Create(CultureInfo.InvariantCulture, $"--Tracing:Sampling:Ratio={Ratio}")];

    public static TracingSetting Parse(string text)
    {
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return new("tracing off", "off", null);
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio is < 0 or > 1)
        {
            throw new FormatException($"--tracing: '{text}' is neither 'off' nor a sampling ratio between 0 and 1.");
        }

        var percent = (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return new(ratio >= 1 ? "100% sampling" : $"{percent}% head sampling", $"ratio-{percent}", ratio);
    }
}
