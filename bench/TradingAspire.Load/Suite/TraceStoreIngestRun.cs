using System.Globalization;

namespace TradingAspire.Load.Suite;

/// <summary>The trace store's ingest on one thread, as <c>bench/TradingAspire.Benchmarks tracestore-ingest</c> measures it.</summary>
public sealed record TraceStoreIngestResult(long Spans, double SpansPerSecond, double DecodeSpansPerSecond, double AppendSpansPerSecond, double CoresBusy);

/// <summary>Runs the existing <c>tracestore-ingest</c> mode with a span count and reads the row it appends to a results file.</summary>
public static class TraceStoreIngestRun
{
    public static async Task<TraceStoreIngestResult> RunAsync(string repository, string configuration, long spans, string directory, CancellationToken cancellationToken)
    {
        var assembly = Path.Combine(repository, "bench", "TradingAspire.Benchmarks", "bin", configuration, "net10.0", "TradingAspire.Benchmarks.dll");
        if (!File.Exists(assembly))
        {
            throw new LoadSetupException($"{assembly} is not built: build the solution in {configuration} first (bench/run-all does).");
        }

        Directory.CreateDirectory(directory);
        var results = Path.Combine(directory, "tracestore-ingest.tsv");
        File.Delete(results);
        var exit = await ChildProcess.RunDotnetAsync(assembly, ["tracestore-ingest", spans.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["TRADINGASPIRE_BENCH_RESULTS"] = results },
            Path.Combine(directory, "tracestore-ingest.log"), line => line.StartsWith("Store ", StringComparison.Ordinal), cancellationToken);
        if (exit != 0 || !File.Exists(results))
        {
            throw new InvalidOperationException($"tracestore-ingest failed (exit code {exit}); see {directory}/tracestore-ingest.log.");
        }

        // spans stored, spans/s (all), spans/s decode+convert, spans/s append, CPU cores used, ...
        var cells = (await File.ReadAllLinesAsync(results, cancellationToken)).Last(l => l.Length > 0).Split('\t');
        static double Number(string text) => double.Parse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        return new TraceStoreIngestResult((long)Number(cells[0]), Number(cells[1]), Number(cells[2]), Number(cells[3]), Number(cells[4]));
    }
}
