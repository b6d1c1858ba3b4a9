using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TradingAspire.Load.Suite;

/// <summary>The benchmark suite's command line: how long and how hard each part runs.</summary>
public sealed class SuiteSettings : CommandSettings
{
    [CommandOption("--tracing")]
    [Description("Tracing settings to run side by side, comma-separated: off, or a head-sampling ratio (0.01, 1).")]
    [DefaultValue("off,0.01,1")]
    public string Tracing { get; init; } = "";

    [CommandOption("--saturation-rate")]
    [Description("Orders/s offered open loop to find the pipeline's maximum: above capacity (completed/s is the figure), but not far above: " +
                 "every waiting POST holds a connection through Aspire's proxy, and at 1,500/s against ~200/s (~15,000 open) the proxy and the AppHost died.")]
    [DefaultValue(600)]
    public int SaturationRate { get; init; }

    [CommandOption("--saturation-duration")]
    [Description("Measured seconds of the saturation run.")]
    [DefaultValue(15)]
    public int SaturationSeconds { get; init; }

    [CommandOption("--latency-rate")]
    [Description("Orders/s of the fixed-rate latency run.")]
    [DefaultValue(1000)]
    public int LatencyRate { get; init; }

    [CommandOption("--latency-duration")]
    [Description("Measured seconds of the latency run.")]
    [DefaultValue(10)]
    public int LatencySeconds { get; init; }

    [CommandOption("-w|--warmup")]
    [Description("Warm-up seconds before each load run's measured part.")]
    [DefaultValue(3)]
    public int WarmupSeconds { get; init; }

    [CommandOption("--prewarm")]
    [Description("Seconds of a 100 orders/s run right after each AppHost starts, so the measured runs do not pay for JIT and connections (0 skips).")]
    [DefaultValue(5)]
    public int PrewarmSeconds { get; init; }

    [CommandOption("--drain")]
    [Description("Seconds each load run waits for outstanding outcomes before asking the gateway (then at most 90 s more).")]
    [DefaultValue(20)]
    public int DrainSeconds { get; init; }

    [CommandOption("-c|--clients")]
    [Description("Client ids the load runs spread over.")]
    [DefaultValue(100)]
    public int Clients { get; init; }

    [CommandOption("--xadd-requests")]
    [Description("redis-benchmark XADD requests (-n).")]
    [DefaultValue(200_000)]
    public int XaddRequests { get; init; }

    [CommandOption("--xadd-clients")]
    [Description("redis-benchmark connections (-c), one command at a time each (-P 1).")]
    [DefaultValue(50)]
    public int XaddClients { get; init; }

    [CommandOption("--tracestore-spans")]
    [Description("Spans the trace store ingest benchmark stores (0 skips it).")]
    [DefaultValue(300_000L)]
    public long TraceStoreSpans { get; init; }

    [CommandOption("--replicas")]
    [Description("Risk and execution replicas in every AppHost of the run (--Replicas:risk and --Replicas:execution; 1 to 16).")]
    [DefaultValue(1)]
    public int Replicas { get; init; }

    [CommandOption("--partitions")]
    [Description("Partitions of the order streams in every AppHost of the run (--Messaging:Partitions; 1 to 64).")]
    [DefaultValue(1)]
    public int Partitions { get; init; }

    [CommandOption("--redis-mode")]
    [Description("standalone (one redis-server) or cluster (--Redis:Mode=cluster: 3 masters, a replica each).")]
    [DefaultValue("standalone")]
    public string RedisMode { get; init; } = "";

    public bool Cluster => RedisMode == "cluster";

    [CommandOption("--skip-micro")]
    [Description("Leave out the BenchmarkDotNet micro-benchmarks.")]
    public bool SkipMicro { get; init; }

    [CommandOption("--apphost-timeout")]
    [Description("Seconds to wait for the AppHost to be healthy, and again for it to stop.")]
    [DefaultValue(180)]
    public int AppHostTimeoutSeconds { get; init; }

    [CommandOption("--configuration")]
    [Description("Build configuration whose binaries run (built beforehand; bench/run-all builds Release).")]
    [DefaultValue("Release")]
    public string Configuration { get; init; } = "";

    [CommandOption("--out")]
    [Description("Directory for the results (suite.md, load summaries, logs). Default: load-results/suite-<UTC time>.")]
    public string? Output { get; init; }

    [CommandOption("--plain")]
    [Description("Load runs print a line every 5 s instead of a live table.")]
    public bool Plain { get; init; }

    public IReadOnlyList<TracingSetting> TracingSettings() =>
        Tracing.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TracingSetting.Parse).ToArray();

    public override ValidationResult Validate()
    {
        try
        {
            if (Replicas is < 1 or > 16)
            {
                return ValidationResult.Error("--replicas must be between 1 and 16.");
            }

            if (Partitions is < 1 or > 64)
            {
                return ValidationResult.Error("--partitions must be between 1 and 64.");
            }

            if (RedisMode is not ("standalone" or "cluster"))
            {
                return ValidationResult.Error("--redis-mode must be standalone or cluster.");
            }

            if (TracingSettings().Count == 0)
            {
                return ValidationResult.Error("--tracing needs at least one setting.");
            }
        }
        catch (FormatException ex)
        {
            return ValidationResult.Error(ex.Message);
        }

        if (SaturationRate < 1 || LatencyRate < 1 || SaturationSeconds < 1 || LatencySeconds < 1 || WarmupSeconds < 0 || DrainSeconds < 0 || PrewarmSeconds < 0)
        {
            return ValidationResult.Error("Rates and durations must be positive (pre-warm, warm-up and drain may be 0).");
        }

        return XaddRequests < 1 || XaddClients < 1 || Clients < 1 || TraceStoreSpans < 0
            ? ValidationResult.Error("--xadd-requests, --xadd-clients and --clients must be positive, --tracestore-spans not negative.")
            : ValidationResult.Success();
    }
}
