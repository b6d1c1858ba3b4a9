using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Head sampling (section <c>Tracing:Sampling</c>), read by every service. <see cref="Ratio"/> is the
/// share of traces the entry (the gateway) starts sampled; the rules sample an order's whole trace
/// whatever the ratio. Services other than the entry follow the decision carried in traceparent.
/// </summary>
public sealed class SamplingOptions
{
    public const string Section = "Tracing:Sampling";

    /// <summary>Share of order traces kept, 0..1; 1 (the default) keeps every trace.</summary>
    public double Ratio { get; set; } = 1.0;

    /// <summary>Client ids whose orders are always traced (exact, case-sensitive like client ids).</summary>
    public List<string> AlwaysClients { get; set; } = [];

    /// <summary>Symbols whose orders are always traced (any case).</summary>
    public List<string> AlwaysSymbols { get; set; } = [];

    /// <summary>Orders whose notional (quantity × price) is above this are always traced; none when unset.</summary>
    public decimal? AlwaysAboveNotional { get; set; }

    /// <summary>Reads and validates the section; throws with a message naming the setting when it is wrong.</summary>
    public static SamplingOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        SamplingOptions options;
        try
        {
            options = section.Get<SamplingOptions>() ?? new SamplingOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{Section} is not valid: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (Validate(options) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        return options;
    }

    /// <summary>The first thing wrong with <paramref name="options"/>, or null.</summary>
    public static string? Validate(SamplingOptions options)
    {
        if (double.IsNaN(options.Ratio) || options.Ratio is < 0 or > 1)
        {
            return $"{Section}:Ratio must be between 0 and 1 (0.01 keeps 1 % of traces), not {options.Ratio.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (options.AlwaysAboveNotional is < 0)
        {
            return $"{Section}:AlwaysAboveNotional must not be negative, not {options.AlwaysAboveNotional.Value.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (options.AlwaysClients.Any(string.IsNullOrWhiteSpace) || options.AlwaysSymbols.Any(string.IsNullOrWhiteSpace))
        {
            return $"{Section}:AlwaysClients and {Section}:AlwaysSymbols must not hold empty entries.";
        }

        return null;
    }
}
