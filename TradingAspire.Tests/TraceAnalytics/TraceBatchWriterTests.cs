using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

// Shares a collection with the concurrency stress test so that one does not starve the other's timing.
[Collection(DuckDbTimingCollection.Name)]
public sealed class TraceBatchWriterTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static TraceBatchWriter Writer(IngestQueue queue, ITraceStore store, int batchSize = 5000) =>
        new(queue, store, Options.Create(new IngestOptions { BatchSize = batchSize, FlushIntervalMilliseconds = 200 }), NullLogger<TraceBatchWriter>.Instance);

    [Fact]
    public async Task Queued_spans_are_stored_without_waiting_for_a_full_batch()
    {
        using var store = new DuckDbTraceStore(directory.DatabasePath);
        var queue = new IngestQueue(16);
        var writer = Writer(queue, store);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // A handful of spans, far below BatchSize: the flush interval, not a full batch, writes them.
            // (How fast is a benchmark's business; this only asserts that they arrive.)
            await IngestAndWaitAsync(queue, store, "10000000000000000000000000000001", TimeSpan.FromSeconds(15));
            await IngestAndWaitAsync(queue, store, "10000000000000000000000000000002", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task IngestAndWaitAsync(IngestQueue queue, ITraceStore store, string traceId, TimeSpan limit)
    {
        var spans = OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans.Select(s => s with { TraceId = traceId }).ToArray();
        Assert.True(queue.TryEnqueue(spans));
        await Eventually.True(async () => (await store.GetTraceAsync(traceId)).Count == spans.Length, limit, "the queued spans to be stored");
    }

    [Fact]
    public async Task Stopping_the_writer_stores_what_is_queued_and_closes_the_queue()
    {
        using var store = new DuckDbTraceStore(directory.DatabasePath);
        var queue = new IngestQueue(64);
        var writer = Writer(queue, store, batchSize: 3);
        await writer.StartAsync(CancellationToken.None);
        var template = OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans[0];
        for (var i = 0; i < 20; i++)
        {
            Assert.True(queue.TryEnqueue([template with { SpanId = $"{i + 1:x16}" }]));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(20, (await store.GetTraceAsync(template.TraceId)).Count);
        Assert.False(queue.TryEnqueue([template]));
    }
}
