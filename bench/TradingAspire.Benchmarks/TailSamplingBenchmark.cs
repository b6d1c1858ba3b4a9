using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Benchmarks;

/// <summary>
/// Tail sampling side by side in one run: the same generated orders (all within one 15-minute window) appended
/// unsampled to one store and through the tail sampler at a keep share to another. Times the OTLP decode, the
/// sampler and the append per span, what each store holds, the stage-percentile query on the plain path (no weights)
/// and the weighted path, and how close the sampled store's weighted percentiles are to the unsampled ones.
/// </summary>
internal static class TailSamplingBenchmark
{
    private const int TracesPerRequest = 20;
    private const int BatchSpans = 5000;
    private const int QueryRuns = 10;
    private static readonly string[] Stages = ["venue.match", "order.execute", "risk.check"];

    public static async Task<int> RunAsync(int orders, double keepShare)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tailsampling-bench", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        var firstOrder = DateTime.UtcNow.AddMinutes(-14);
        var ordersPerSecond = orders / (13.0 * 60);
        AnsiConsole.MarkupLine($"{orders:N0} orders of {OrderTraceGenerator.SpansPerTrace} spans within 13 minutes, keep share {keepShare}; {Environment.ProcessorCount} cores.");
        try
        {
            using var fullDb = new TraceDatabase(Path.Combine(directory, "full.duckdb"));
            using var sampledDb = new TraceDatabase(Path.Combine(directory, "sampled.duckdb"));
            var full = new DuckDbTraceStore(fullDb);
            var sampled = new DuckDbTraceStore(sampledDb);

            // Unsampled: convert (not timed), append in batches of 5000 (timed).
            var unsampledAppend = new Stopwatch();
            var unsampledDecode = new Stopwatch();
            var sampledDecode = new Stopwatch();
            long spans = 0;
            var buffer = new List<SpanRecord>(BatchSpans + 1000);
            var generator = new OrderTraceGenerator(42, firstOrder, ordersPerSecond);
            while (generator.Orders < orders)
            {
                var body = generator.NextRequest(TracesPerRequest); // generating the load is not timed
                unsampledDecode.Start();
                var converted = OtlpSpanConverter.Convert(OtlpTraceDecoder.DecodeProtobuf(body)).Spans;
                unsampledDecode.Stop();
                spans += converted.Count;
                buffer.AddRange(converted);
                if (buffer.Count >= BatchSpans || generator.Orders >= orders)
                {
                    unsampledAppend.Start();
                    await full.AppendAsync(buffer);
                    unsampledAppend.Stop();
                    buffer.Clear();
                }
            }

            // Sampled: the same orders through TryAccept + DecideAsync (timed: the sampler), the kept spans appended (timed).
            var metrics = new SamplingMetrics(new ServiceTelemetry("TraceAnalytics"));
            var queue = new IngestQueue(1_000_000);
            using var sampler = new TailSampler(Options.Create(new TailSamplingOptions { Enabled = true, KeepShare = keepShare }),
                Options.Create(new AlertOptions()), queue, metrics, TimeProvider.System, NullLogger<TailSampler>.Instance);
            var sampling = new Stopwatch();
            var sampledAppend = new Stopwatch();
            long kept = 0;
            generator = new OrderTraceGenerator(42, firstOrder, ordersPerSecond);
            while (generator.Orders < orders)
            {
                var body = generator.NextRequest(TracesPerRequest);
                sampledDecode.Start();
                var converted = OtlpSpanConverter.Convert(OtlpTraceDecoder.DecodeProtobuf(body)).Spans;
                sampledDecode.Stop();
                sampling.Start();
                sampler.TryAccept(converted);
                await sampler.DecideAsync(all: true); // a request holds whole traces: decide them now
                sampling.Stop();
                while (queue.Reader.TryRead(out var batch))
                {
                    buffer.AddRange(batch.Spans);
                }

                if (buffer.Count >= BatchSpans || generator.Orders >= orders)
                {
                    kept += buffer.Count;
                    sampledAppend.Start();
                    await sampled.AppendAsync(buffer);
                    sampledAppend.Stop();
                    buffer.Clear();
                }
            }

            var ingest = new Table().AddColumns("", "unsampled", $"tail sampling, keep share {keepShare}");
            ingest.AddRow("spans in / stored", $"{spans:N0} / {spans:N0}", $"{spans:N0} / {kept:N0}");
            ingest.AddRow("traces kept (by reason) / dropped", $"{orders:N0} / 0",
                $"{metrics.KeptTraces:N0} ({string.Join(", ", metrics.KeptByReason().Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value:N0}"))}) / {metrics.DroppedTraces:N0}");
            ingest.AddRow("sampler, ns per span in", "—", $"{sampling.Elapsed.TotalNanoseconds / spans:N0}");
            ingest.AddRow("append, ns per span in", $"{unsampledAppend.Elapsed.TotalNanoseconds / spans:N0}", $"{sampledAppend.Elapsed.TotalNanoseconds / spans:N0}");
            ingest.AddRow("sampler + append, ns per span in", $"{unsampledAppend.Elapsed.TotalNanoseconds / spans:N0}",
                $"{(sampling.Elapsed + sampledAppend.Elapsed).TotalNanoseconds / spans:N0}");
            ingest.AddRow("decode + convert, ns per span in", $"{unsampledDecode.Elapsed.TotalNanoseconds / spans:N0}", $"{sampledDecode.Elapsed.TotalNanoseconds / spans:N0}");
            var unsampledTotal = unsampledDecode.Elapsed + unsampledAppend.Elapsed;
            var sampledTotal = sampledDecode.Elapsed + sampling.Elapsed + sampledAppend.Elapsed;
            ingest.AddRow("whole ingest on one thread, spans/s in", $"{spans / unsampledTotal.TotalSeconds:N0}",
                $"{spans / sampledTotal.TotalSeconds:N0} ({unsampledTotal / sampledTotal:0.0}x)");
            AnsiConsole.Write(ingest);

            var filter = new StageFilter(firstOrder.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
            var check = await TimeCheckAsync(fullDb, filter);
            var plain = await TimeAsync(new DuckDbTraceAnalyticsStore(fullDb), filter);
            var weightedSmall = await TimeAsync(new DuckDbTraceAnalyticsStore(sampledDb), filter);
            var unweighted = new Dictionary<string, double[]>();
            foreach (var stage in Stages)
            {
                unweighted[stage] = (await sampledDb.QueryAsync(new DuckDbQuery("""SELECT quantile_cont("Duration" / 1e6, [0.5, 0.95, 0.99]) AS q FROM otel_traces WHERE "SpanName" = $stage""")
                    .Bind("stage", stage), row => row.List<double>("q"))).Single().ToArray();
            }

            // One span of weight 2 in the window sends the full store's query down the weighted path: same rows, other SQL.
            await full.AppendAsync([new SpanRecord
            {
                Timestamp = firstOrder, TraceId = "ffffffffffffffffffffffffffffffff", SpanId = "ffffffffffffffff", SpanName = "bench.weight", SampleWeight = 2,
            }]);
            var weightedFull = await TimeAsync(new DuckDbTraceAnalyticsStore(fullDb), filter);

            var queries = new Table().AddColumns("stage percentiles by stage, the whole run (14 min)", "spans in window", "p50 ms", "max ms");
            queries.AddRow("the check for sampled spans alone (EXISTS SampleWeight > 1), unsampled store", $"{spans:N0}", $"{check.P50:0.00}", $"{check.Max:0.00}");
            queries.AddRow("unsampled store, plain SQL (quantile_cont)", $"{spans:N0}", $"{plain.P50:0.0}", $"{plain.Max:0.0}");
            queries.AddRow("unsampled store, weighted SQL (1 span of weight 2 added)", $"{spans + 1:N0}", $"{weightedFull.P50:0.0}", $"{weightedFull.Max:0.0}");
            queries.AddRow("sampled store, weighted SQL", $"{kept:N0}", $"{weightedSmall.P50:0.0}", $"{weightedSmall.Max:0.0}");
            AnsiConsole.Write(queries);

            var accuracy = new Table().AddColumns("stage", "unsampled p50 / p95 / p99 ms", "sampled, weighted", "sampled, unweighted");
            foreach (var stage in Stages)
            {
                var e = plain.Groups.Single(g => g.Key.Stage == stage);
                var w = weightedSmall.Groups.Single(g => g.Key.Stage == stage);
                var u = unweighted[stage];
                accuracy.AddRow(stage, $"{e.P50Ms:0.00} / {e.P95Ms:0.00} / {e.P99Ms:0.00}", $"{w.P50Ms:0.00} / {w.P95Ms:0.00} / {w.P99Ms:0.00}",
                    $"{u[0]:0.00} / {u[1]:0.00} / {u[2]:0.00}");
            }

            AnsiConsole.Write(accuracy);
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

    /// <summary>What every stage-percentile query now runs first: is there a sampled span in the window?</summary>
    private static async Task<(double P50, double Max)> TimeCheckAsync(TraceDatabase database, StageFilter filter)
    {
        var times = new List<double>();
        for (var run = 0; run <= QueryRuns; run++)
        {
            var started = Stopwatch.GetTimestamp();
            await database.QueryScalarAsync(new DuckDbQuery("""
                    SELECT EXISTS (SELECT 1 FROM otel_traces WHERE "Timestamp" >= $from::TIMESTAMP_NS AND "Timestamp" < $to::TIMESTAMP_NS AND "SampleWeight" > 1)
                    """).BindTime("from", filter.From).BindTime("to", filter.To));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.RemoveAt(0); // warm-up
        times.Sort();
        return (times[times.Count / 2], times[^1]);
    }

    private static async Task<(double P50, double Max, IReadOnlyList<LatencyGroup> Groups)> TimeAsync(DuckDbTraceAnalyticsStore analytics, StageFilter filter)
    {
        var groups = await analytics.GetLatencyAsync(filter, [LatencyDimension.Stage]); // warm-up
        var times = new List<double>();
        for (var run = 0; run < QueryRuns; run++)
        {
            var started = Stopwatch.GetTimestamp();
            groups = await analytics.GetLatencyAsync(filter, [LatencyDimension.Stage]);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[^1], groups);
    }
}
