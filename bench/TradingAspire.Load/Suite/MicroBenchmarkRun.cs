namespace TradingAspire.Load.Suite;

/// <summary>One BenchmarkDotNet result: what was measured, its mean time (± half the 99.9 % confidence interval) and what one operation allocates.</summary>
public sealed record MicroResult(string Benchmark, string Mean, string Error, string Allocated);

/// <summary>
/// Runs <c>bench/TradingAspire.MicroBenchmarks</c> (BenchmarkDotNet, short in-process job, allocations) with its
/// artifacts under the suite's directory and reads its joined CSV report.
/// </summary>
public static class MicroBenchmarkRun
{
    public static async Task<IReadOnlyList<MicroResult>> RunAsync(string repository, string configuration, string directory, CancellationToken cancellationToken)
    {
        var assembly = Path.Combine(repository, "bench", "TradingAspire.MicroBenchmarks", "bin", configuration, "net10.0", "TradingAspire.MicroBenchmarks.dll");
        if (!File.Exists(assembly))
        {
            throw new LoadSetupException($"{assembly} is not built: build the solution in {configuration} first (bench/run-all does).");
        }

        Directory.CreateDirectory(directory);
        var exit = await ChildProcess.RunDotnetAsync(assembly, ["--artifacts", directory], new Dictionary<string, string>(),
            Path.Combine(directory, "benchmarkdotnet.log"),
            line => line.StartsWith("// Benchmark: ", StringComparison.Ordinal) || line.StartsWith("Global total time", StringComparison.Ordinal),
            cancellationToken);
        var report = Directory.EnumerateFiles(Path.Combine(directory, "results"), "*-report.csv").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"BenchmarkDotNet wrote no CSV report (exit code {exit}); see {directory}/benchmarkdotnet.log.");
        var lines = await File.ReadAllLinesAsync(report, cancellationToken);
        var header = Csv.Split(lines[0]);
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidOperationException($"{report} has no column {name}.");
        // BenchmarkDotNet leaves out columns it finds uninteresting (Median among them), so only these four are relied on.
        var (method, mean, error, allocated) = (Column("Method"), Column("Mean"), Column("Error"), Column("Allocated"));
        return lines.Skip(1).Where(l => l.Length > 0).Select(Csv.Split)
            .Select(cells => new MicroResult(cells[method].Trim('\''), cells[mean], cells[error], cells[allocated]))
            .ToArray();
    }

    /// <summary>The markdown table BenchmarkDotNet wrote (GitHub flavour), for the suite's report.</summary>
    public static string? MarkdownReport(string directory) =>
        Directory.Exists(Path.Combine(directory, "results"))
            ? Directory.EnumerateFiles(Path.Combine(directory, "results"), "*-report-github.md").Select(File.ReadAllText).LastOrDefault()
            : null;
}

/// <summary>Splits one line of RFC 4180 CSV (quoted cells may hold commas; "" is a quote).</summary>
public static class Csv
{
    public static string[] Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}
