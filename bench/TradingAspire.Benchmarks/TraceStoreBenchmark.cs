using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.Options;
using Spectre.Console;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Benchmarks;

/// <summary>
/// The trace store at scale: ingests generated order traces through the real path (OTLP protobuf decode,
/// conversion to rows, DuckDB appender in batches of 5000 spans like the batch writer), on one thread,
/// and at each requested size times the queries the API runs.
/// </summary>
internal static class TraceStoreBenchmark
{
    private const int TracesPerRequest = 20;
    private const int BatchSpans = 5000;
    private const double OrdersPerSecond = 3.3;

    public static async Task<int> RunAsync(IReadOnlyList<long> sizes, bool queries)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tracestore-bench", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, "traces.duckdb");
        var target = sizes.Max();
        var totalOrders = target / OrderTraceGenerator.SpansPerTrace + 1;
        var firstOrder = DateTime.UtcNow.AddSeconds(-totalOrders / OrdersPerSecond);
        var generator = new OrderTraceGenerator(42, firstOrder, OrdersPerSecond);
        AnsiConsole.MarkupLine($"Store [grey]{databasePath}[/]; {totalOrders:N0} orders of {OrderTraceGenerator.SpansPerTrace} spans at {OrdersPerSecond}/s, " +
                               $"{TimeSpan.FromSeconds(totalOrders / OrdersPerSecond).TotalHours:0.#} h of traffic ending now; {Environment.ProcessorCount} cores.");

        var ingestRows = new List<string[]>();
        var queryRows = new List<(long Size, List<(string Query, LongHistogram Times, int Runs)> Results)>();
        try
        {
            using var database = new TraceDatabase(databasePath);
            var store = new DuckDbTraceStore(database);
            var ingest = new IngestStats();
            foreach (var size in sizes.Order())
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Ingesting to {size:N0} spans", maxValue: size);
                        task.Value = ingest.Spans;
                        await IngestAsync(store, generator, size, ingest, task);
                    });

                var fileBytes = new FileInfo(databasePath).Length + (File.Exists(databasePath + ".wal") ? new FileInfo(databasePath + ".wal").Length : 0);
                ingestRows.Add(
                [
                    $"{ingest.Spans:N0}",
                    $"{ingest.Spans / ingest.Wall.Elapsed.TotalSeconds:N0}",
                    $"{ingest.Spans / ingest.Decode.Elapsed.TotalSeconds:N0}",
                    $"{ingest.Spans / ingest.Append.Elapsed.TotalSeconds:N0}",
                    $"{ingest.CpuSeconds / ingest.Wall.Elapsed.TotalSeconds:0.00}",
                    $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB",
                    $"{fileBytes / 1048576.0:N0} MiB",
                    $"{fileBytes / (double)ingest.Spans:0} B",
                ]);
                ReportIngest(ingestRows);

                if (queries)
                {
                    var results = await QueryAsync(database, store, generator);
                    queryRows.Add((size, results));
                    ReportQueries(queryRows);
                }
            }
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

        return 0;
    }

    private sealed class IngestStats
    {
        public long Spans { get; set; }
        public Stopwatch Wall { get; } = new();
        public Stopwatch Decode { get; } = new();
        public Stopwatch Append { get; } = new();
        public double CpuSeconds { get; set; }
    }

    private static async Task IngestAsync(DuckDbTraceStore store, OrderTraceGenerator generator, long target, IngestStats stats, ProgressTask task)
    {
        var buffer = new List<SpanRecord>(BatchSpans + 1000);
        var process = Process.GetCurrentProcess();
        while (stats.Spans < target)
        {
            var body = generator.NextRequest(TracesPerRequest); // generating the load is not measured
            var cpuBefore = process.TotalProcessorTime;
            stats.Wall.Start();
            stats.Decode.Start();
            var request = OtlpTraceDecoder.DecodeProtobuf(body);
            var conversion = OtlpSpanConverter.Convert(request);
            stats.Decode.Stop();
            buffer.AddRange(conversion.Spans);
            if (buffer.Count >= BatchSpans)
            {
                stats.Append.Start();
                await store.AppendAsync(buffer);
                stats.Append.Stop();
                buffer.Clear();
            }

            stats.Wall.Stop();
            process.Refresh();
            stats.CpuSeconds += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            stats.Spans += conversion.Spans.Count;
            task.Value = Math.Min(stats.Spans, task.MaxValue);
        }

        if (buffer.Count > 0)
        {
            stats.Wall.Start();
            stats.Append.Start();
            await store.AppendAsync(buffer);
            stats.Append.Stop();
            stats.Wall.Stop();
        }
    }

    private const int SteadyWarmUps = 30;

    private static async Task<List<(string, LongHistogram, int)>> QueryAsync(TraceDatabase database, DuckDbTraceStore store, OrderTraceGenerator generator)
    {
        var analytics = new DuckDbTraceAnalyticsStore(database);
        var service = new TraceAnalyticsService(store, analytics, Options.Create(new TraceAnalyticsOptions()));
        var end = generator.TimeOf(generator.Orders);
        var window = new TimeWindow(end.AddMinutes(-15), end);
        var random = new Random(7);
        long RandomOrder() => (long)(random.NextDouble() * (generator.Orders - 1));

        var plan = new (string Name, int Runs, Func<Task> Run)[]
        {
            ("trace by id (GET /api/traces/{id})", 50, async () => Check(await store.GetTraceAsync(OrderTraceGenerator.TraceIdHex(RandomOrder())))),
            ("order id → trace (GET /api/orders/{id}/trace)", 50, async () =>
            {
                var ids = await store.FindTraceIdsByOrderIdAsync(OrderTraceGenerator.OrderId(RandomOrder()));
                Check(await store.GetTraceAsync(ids[0]));
            }),
            ("critical path of a trace", 50, async () => _ = await service.GetCriticalPathAsync(OrderTraceGenerator.TraceIdHex(RandomOrder())) ?? throw new InvalidOperationException("no trace")),
            ("stage percentiles, 15 min, by stage", 10, async () => _ = await analytics.GetLatencyAsync(new StageFilter(window.From, window.To), [LatencyDimension.Stage])),
            ("stage percentiles, 15 min, by stage+venue (trace join)", 10, async () => _ = await analytics.GetLatencyAsync(new StageFilter(window.From, window.To), [LatencyDimension.Stage, LatencyDimension.Venue])),
            ("time series, 15 min, 1 m buckets", 10, async () => _ = await analytics.GetLatencySeriesAsync(new StageFilter(window.From, window.To, "venue.match"), TimeSpan.FromMinutes(1))),
            ("span search, attr + name, 15 min, page of 100", 10, async () => _ = await analytics.SearchSpansAsync(new SpanSearchCriteria(window.From, window.To, Name: "venue.match", Attributes: [new("trading.venue", "kraken")]))),
            ("anomalies, 15 min", 5, async () => _ = await service.GetAnomaliesAsync(window, 20)),
            ("bottlenecks, 15 min (critical path of every trace)", 3, async () => _ = await service.GetBottlenecksAsync(window)),
            ("compare, previous 15 min vs 15 min", 3, async () => _ = await service.CompareAsync(window.Previous(), window, null, [LatencyDimension.Stage])),
        };

        // The rows above time the first runs after one warm-up: the heavy analyses then run partly unoptimized
        // (tiered JIT) code. These time the same calls in steady state, after SteadyWarmUps more runs.
        var steady = new (string Name, int Runs, Func<Task> Run)[]
        {
            ("order id → trace, steady state", 50, plan[1].Run),
            ("anomalies, 15 min, steady state", 10, plan[7].Run),
            ("bottlenecks, 15 min, steady state", 10, plan[8].Run),
        };

        var results = new List<(string, LongHistogram, int)>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"Queries at {generator.Orders * OrderTraceGenerator.SpansPerTrace:N0} spans",
                maxValue: plan.Sum(p => p.Runs + 1) + steady.Sum(p => p.Runs + SteadyWarmUps));
            foreach (var (name, runs, run, warmUps) in plan.Select(p => (p.Name, p.Runs, p.Run, 1)).Concat(steady.Select(p => (p.Name, p.Runs, p.Run, SteadyWarmUps))))
            {
                for (var i = 0; i < warmUps; i++)
                {
                    await run(); // warm-up (first touch of the columns and indexes; for steady state, tiered JIT too)
                    task.Increment(1);
                }

                var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
                for (var i = 0; i < runs; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await run();
                    histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));
                    task.Increment(1);
                }

                results.Add((name, histogram, runs));
            }
        });

        return results;
    }

    private static void Check(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count != OrderTraceGenerator.SpansPerTrace)
        {
            throw new InvalidOperationException($"expected {OrderTraceGenerator.SpansPerTrace} spans, got {spans.Count}");
        }
    }

    private static void ReportIngest(List<string[]> rows)
    {
        var table = new Table().Title("ingest: OTLP protobuf decode + convert + DuckDB append, one thread")
            .AddColumns("spans stored", "spans/s (all)", "spans/s decode+convert", "spans/s append", "CPU cores used", "peak working set", "db file", "bytes/span");
        foreach (var row in rows)
        {
            table.AddRow(row);
        }

        AnsiConsole.Write(table);
        // The benchmark suite (tradingaspire-load suite) reads the rows from here: tab-separated, as printed.
        if (Environment.GetEnvironmentVariable(ResultsFileVariable) is { Length: > 0 } results)
        {
            File.AppendAllLines(results, rows.Select(row => string.Join('\t', row)));
        }
    }

    /// <summary>Environment variable naming a file the ingest rows are appended to (tab-separated).</summary>
    public const string ResultsFileVariable = "TRADINGASPIRE_BENCH_RESULTS";

    private static void ReportQueries(List<(long Size, List<(string Query, LongHistogram Times, int Runs)> Results)> rows)
    {
        var table = new Table().Title("query latency (ms): p50 / max over the runs, after one warm-up (steady-state rows: after 30)").AddColumn("query");
        foreach (var (size, _) in rows)
        {
            table.AddColumn($"{size:N0} spans");
        }

        foreach (var query in rows[0].Results.Select(r => r.Query))
        {
            table.AddRow([query, .. rows.Select(r =>
            {
                var h = r.Results.Single(x => x.Query == query).Times;
                return $"{h.GetValueAtPercentile(50) / 1000.0:0.0} / {h.GetMaxValue() / 1000.0:0.0}";
            })]);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"peak working set so far: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB");
    }
}
