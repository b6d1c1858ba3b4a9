using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Benchmarks;

/// <summary>
/// The ingest path through the real <see cref="IngestQueue"/> and <see cref="TraceBatchWriter"/> into DuckDB,
/// with concurrent exporters doing what <c>POST /v1/traces</c> does (decode, convert, queue), side by side:
/// answering as soon as the spans are queued (the endpoint before group commit: a failed append lost them
/// silently) against answering once they are appended, with the writer appending at once or lingering 200 ms.
/// Each exporter sends one request at a time, like an OpenTelemetry batch exporter; requests of 15 orders
/// (525 spans, about the SDK's 512-span export batch). Each design runs on a fresh store.
/// </summary>
internal static class TraceWriterBenchmark
{
    private const int TracesPerRequest = 15;
    private const int PoolRequests = 120;

    private sealed record Design(string Name, bool WaitForStore, int FlushIntervalMilliseconds);

    private static readonly Design[] Designs =
    [
        new("answer when queued (before)", false, 200),
        new("answer when stored, append at once (after)", true, 0),
        new("answer when stored, linger 200 ms", true, 200),
    ];

    public static async Task<int> RunAsync(long spansPerRun, IReadOnlyList<int> exporterCounts)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 150); // the table stays readable when redirected
        var generator = new OrderTraceGenerator(42, DateTime.UtcNow.AddHours(-1), 3.3);
        var pool = Enumerable.Range(0, PoolRequests).Select(_ => generator.NextRequest(TracesPerRequest)).ToArray();
        AnsiConsole.MarkupLine($"{spansPerRun:N0} spans per run, requests of {TracesPerRequest * OrderTraceGenerator.SpansPerTrace} spans; {Environment.ProcessorCount} cores.");

        var table = new Table().Title("ingest through queue + writer into DuckDB (side by side, same run)")
            .AddColumns("design", "exporters", "spans/s stored", "answer p50", "answer p99", "answer max", "spans/append", "CPU cores busy");
        foreach (var exporters in exporterCounts)
        {
            foreach (var design in Designs)
            {
                var result = await RunOnceAsync(design, exporters, spansPerRun, pool);
                table.AddRow(design.Name, $"{exporters}", $"{result.SpansPerSecond:N0}",
                    Ms(result.Answers.GetValueAtPercentile(50)), Ms(result.Answers.GetValueAtPercentile(99)), Ms(result.Answers.GetMaxValue()),
                    $"{result.SpansPerAppend:N0}", $"{result.CoresBusy:0.00}");
                AnsiConsole.MarkupLine($"[grey]{design.Name}, {exporters} exporter(s): {result.SpansPerSecond:N0} spans/s[/]");
            }
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static string Ms(long microseconds) => $"{microseconds / 1000.0:0.0} ms";

    private sealed record Result(double SpansPerSecond, LongHistogram Answers, double SpansPerAppend, double CoresBusy);

    private static async Task<Result> RunOnceAsync(Design design, int exporters, long target, byte[][] pool)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tracestore-writer-bench", Guid.NewGuid().ToString("n"));
        try
        {
            using var database = new TraceDatabase(Path.Combine(directory, "traces.duckdb"));
            var store = new DuckDbTraceStore(database);
            var queue = new IngestQueue(1024);
            var appends = new AppendCounter();
            var writer = new TraceBatchWriter(queue, store, new IngestMonitor(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System),
                Options.Create(new IngestOptions { FlushIntervalMilliseconds = design.FlushIntervalMilliseconds }),
                NullLogger<TraceBatchWriter>.Instance, [appends]);
            await writer.StartAsync(CancellationToken.None);

            var answers = new LongHistogram(TimeStamp.Minutes(1), 3);
            long sent = 0;
            var last = new List<IngestBatch>();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, exporters).Select(e => Task.Run(async () =>
            {
                IngestBatch? mine = null;
                for (var i = e; Interlocked.Read(ref sent) < target; i += exporters)
                {
                    var started = Stopwatch.GetTimestamp();
                    var spans = OtlpSpanConverter.Convert(OtlpTraceDecoder.DecodeProtobuf(pool[i % pool.Length])).Spans;
                    mine = new IngestBatch(spans);
                    while (!queue.TryEnqueue(mine))
                    {
                        await Task.Delay(1); // the endpoint would answer 503 and the exporter retry
                    }

                    if (design.WaitForStore)
                    {
                        await mine.Stored;
                    }

                    var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    lock (answers)
                    {
                        answers.RecordValue(Math.Max(1, elapsed));
                    }

                    Interlocked.Add(ref sent, spans.Count);
                }

                if (mine is not null)
                {
                    lock (last)
                    {
                        last.Add(mine);
                    }
                }
            })));
            await Task.WhenAll(last.Select(b => b.Stored)); // everything sent is stored: the run's end
            wall.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            await writer.StopAsync(CancellationToken.None);
            return new Result(appends.Spans / wall.Elapsed.TotalSeconds, answers, appends.Spans / (double)Math.Max(1, appends.Appends), cpu / wall.Elapsed.TotalSeconds);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class AppendCounter : ISpanBatchObserver
    {
        public long Spans { get; private set; }
        public long Appends { get; private set; }

        public void OnStored(IReadOnlyList<SpanRecord> spans)
        {
            Spans += spans.Count;
            Appends++;
        }
    }
}
