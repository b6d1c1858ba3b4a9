using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TradingAspire.MicroBenchmarks;

/// <summary>
/// One short job run in this process (no generated project to build: the whole suite takes about a minute on two
/// cores), allocations measured, every class joined into one summary, exported as CSV (read by the benchmark
/// suite) and GitHub markdown.
/// </summary>
public static class MicroBenchmarkConfig
{
    public static IConfig Create() => ManualConfig.CreateEmpty()
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
        .AddLogger(DefaultConfig.Instance.GetLoggers().ToArray())
        .AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray())
        .AddValidator(DefaultConfig.Instance.GetValidators().ToArray())
        .AddExporter(CsvExporter.Default, MarkdownExporter.GitHub)
        .WithOptions(ConfigOptions.JoinSummary);
}
