using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TradingAspire.Load.Feed;

/// <summary>The feed benchmark's command line.</summary>
public sealed class FeedSettings : CommandSettings
{
    [CommandOption("--venue")]
    [Description("The one venue marketdata follows (MarketData:Venues); the others stay idle.")]
    [DefaultValue("binance")]
    public string Venue { get; init; } = "";

    [CommandOption("--rounds")]
    [Description("Saturation pairs, alternating monitoring on, off, on, off, ... (0: latency runs only).")]
    [DefaultValue(2)]
    public int Rounds { get; init; }

    [CommandOption("--saturation-rate")]
    [Description("Messages/s the venue is told to offer in the saturation runs (admin fault; at most 1,000,000). " +
                 "The venue runs with Exchanges:Feed:Backpressure, so it sends as fast as marketdata reads instead of closing it as a slow consumer.")]
    [DefaultValue(1_000_000)]
    public int SaturationRate { get; init; }

    [CommandOption("--duration")]
    [Description("Measured seconds of each saturation run.")]
    [DefaultValue(10)]
    public int Seconds { get; init; }

    [CommandOption("--latency-rates")]
    [Description("Fixed offered rates (messages/s, comma-separated) of the latency runs, monitoring on.")]
    [DefaultValue("10000,100000")]
    public string LatencyRates { get; init; } = "";

    [CommandOption("--latency-duration")]
    [Description("Measured seconds of each latency run.")]
    [DefaultValue(10)]
    public int LatencySeconds { get; init; }

    [CommandOption("-w|--warmup")]
    [Description("Seconds before each run's measured part (JIT, connection, the rate settling).")]
    [DefaultValue(5)]
    public int WarmupSeconds { get; init; }

    [CommandOption("--tick-ms")]
    [Description("The venue publisher's tick (Exchanges:Feed:TickMs): each tick sends what the rate owes since the last.")]
    [DefaultValue(10)]
    public int TickMs { get; init; }

    [CommandOption("--configuration")]
    [Description("Build configuration of the services to start (built beforehand: bench/run-all or dotnet build -c Release).")]
    [DefaultValue("Release")]
    public string Configuration { get; init; } = "";

    [CommandOption("-o|--output")]
    [Description("Results directory (default load-results/feed-<UTC time>).")]
    public string? Output { get; init; }

    [CommandOption("--plain")]
    [Description("A progress line every 5 s instead of live progress bars (CI logs).")]
    public bool Plain { get; init; }

    public IReadOnlyList<int> Rates() => LatencyRates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(r => int.Parse(r, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();

    public override ValidationResult Validate()
    {
        if (Rounds < 0 || Seconds < 1 || LatencySeconds < 1 || WarmupSeconds < 0 || TickMs < 1)
        {
            return ValidationResult.Error("--duration, --latency-duration and --tick-ms must be at least 1, --rounds and --warmup at least 0.");
        }

        if (SaturationRate is < 1 or > 1_000_000)
        {
            return ValidationResult.Error("--saturation-rate must be between 1 and 1,000,000 (the admin API's limit).");
        }

        try
        {
            return Rates().All(r => r is >= 1 and <= 1_000_000) ? ValidationResult.Success() : ValidationResult.Error("--latency-rates: each between 1 and 1,000,000.");
        }
        catch (FormatException)
        {
            return ValidationResult.Error("--latency-rates: comma-separated whole numbers, e.g. 10000,100000.");
        }
    }
}
