using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TradingAspire.Load;

/// <summary>What to drive and how hard: the command line of the load tool.</summary>
public sealed class LoadSettings : CommandSettings
{
    [CommandOption("-r|--rate")]
    [Description("Orders per second to send, open loop (each order has an intended send time; latency counts from it).")]
    [DefaultValue(200)]
    public int Rate { get; init; }

    [CommandOption("-d|--duration")]
    [Description("Seconds to send at the rate, after the warm-up.")]
    [DefaultValue(30)]
    public int DurationSeconds { get; init; }

    [CommandOption("-w|--warmup")]
    [Description("Seconds sent at the rate first and left out of the summary (JIT, connection pools, caches).")]
    [DefaultValue(5)]
    public int WarmupSeconds { get; init; }

    [CommandOption("-c|--clients")]
    [Description("How many client ids the orders spread over (load-000, load-001, ...).")]
    [DefaultValue(100)]
    public int Clients { get; init; }

    [CommandOption("--gateway")]
    [Description("Gateway URL. Default: the running AppHost's, from its endpoints file.")]
    public string? Gateway { get; init; }

    [CommandOption("--notifications")]
    [Description("Notification service URL (Server-Sent Events of each client's outcomes). Default: from the endpoints file.")]
    public string? Notifications { get; init; }

    [CommandOption("--secret")]
    [Description("Deployment secret the client API keys derive from (dashboard → Parameters → client-key-secret). Default: from the endpoints file.")]
    public string? Secret { get; init; }

    [CommandOption("--endpoints-file")]
    [Description("The endpoints file a local AppHost writes while it runs.")]
    [DefaultValue("TradingAspire.AppHost/.data/endpoints.json")]
    public string EndpointsFile { get; init; } = "";

    [CommandOption("--max-connections")]
    [Description("Most HTTP connections open to the gateway at once. Orders due beyond it wait in the tool, and their latency still counts from their intended send time. Without a cap, an overloaded system has one connection per waiting order: ~15,000 at 1,500/s offered, which exhausted the file limit of Aspire's proxy.")]
    [DefaultValue(1024)]
    public int MaxConnections { get; init; } = 1024;

    [CommandOption("--drain")]
    [Description("Seconds to wait after the last send for outstanding outcomes before asking the gateway for each missing one.")]
    [DefaultValue(30)]
    public int DrainSeconds { get; init; }

    [CommandOption("--out")]
    [Description("Directory for summary.json and chart.html. Default: load-results/<UTC time>.")]
    public string? Output { get; init; }

    [CommandOption("--plain")]
    [Description("Progress as a line every 5 s instead of a live table (default when output is not a terminal).")]
    public bool Plain { get; init; }

    public override ValidationResult Validate()
    {
        if (Rate is < 1 or > 100_000)
        {
            return ValidationResult.Error("--rate must be between 1 and 100000 orders/s.");
        }

        if (DurationSeconds is < 1 or > 86_400 || WarmupSeconds is < 0 or > 3_600)
        {
            return ValidationResult.Error("--duration must be 1 to 86400 s and --warmup 0 to 3600 s.");
        }

        if (Clients is < 1 or > 10_000)
        {
            return ValidationResult.Error("--clients must be between 1 and 10000.");
        }

        if (MaxConnections is < 1 or > 100_000)
        {
            return ValidationResult.Error("--max-connections must be between 1 and 100000.");
        }

        return DrainSeconds is < 0 or > 3_600 ? ValidationResult.Error("--drain must be 0 to 3600 s.") : ValidationResult.Success();
    }
}
