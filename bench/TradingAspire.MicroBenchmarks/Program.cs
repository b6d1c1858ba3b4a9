using BenchmarkDotNet.Running;
using TradingAspire.MicroBenchmarks;

// dotnet run -c Release --project bench/TradingAspire.MicroBenchmarks                  (every benchmark)
// dotnet run -c Release --project bench/TradingAspire.MicroBenchmarks -- --filter *Risk* --artifacts <dir>
var arguments = args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f") ? args : ["--filter", "*", .. args];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarkConfig).Assembly).Run(arguments, MicroBenchmarkConfig.Create());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
