using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

// Shares a collection with the concurrency stress test so that one does not starve the other's timing.
[Trait(TestCategory.Name, TestCategory.Unit)]
[Collection(DuckDbTimingCollection.Name)]
public sealed class TraceBatchWriterTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDirectory directory = new();
    private readonly IngestMonitor monitor = new(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System);

    public void Dispose() => directory.Dispose();

    private TraceBatchWriter Writer(IngestQueue queue, ITraceStore store, int batchSize = 5000) =>
        new(queue, store, monitor, Options.Create(new IngestOptions { BatchSize = batchSize }), NullLogger<TraceBatchWriter>.Instance);

    private static SpanRecord[] Spans(string traceId) =>
        OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans.Select(s => s with { TraceId = traceId }).ToArray();

    [Fact]
    public async Task Each_queued_request_learns_when_its_spans_are_stored()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var queue = new IngestQueue(16);
        var writer = Writer(queue, store);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // A handful of spans, far below BatchSize: appended at once, and each request's wait completes
            // only after its spans are readable.
            foreach (var traceId in new[] { "10000000000000000000000000000001", "10000000000000000000000000000002" })
            {
                var batch = new IngestBatch(Spans(traceId));
                Assert.True(queue.TryEnqueue(batch));
                await batch.Stored.WaitAsync(Limit);
                Assert.Equal(batch.Spans.Count, (await store.GetTraceAsync(traceId)).Count);
            }

            Assert.Equal(4, monitor.Snapshot(0).StoredSpans);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Stopping_the_writer_stores_what_is_queued_and_closes_the_queue()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var queue = new IngestQueue(64);
        var writer = Writer(queue, store, batchSize: 3);
        await writer.StartAsync(CancellationToken.None);
        var template = Spans("10000000000000000000000000000003")[0];
        var batches = Enumerable.Range(0, 20).Select(i => new IngestBatch([template with { SpanId = $"{i + 1:x16}" }])).ToArray();
        foreach (var batch in batches)
        {
            Assert.True(queue.TryEnqueue(batch));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(20, (await store.GetTraceAsync(template.TraceId)).Count);
        Assert.All(batches, batch => Assert.True(batch.Stored.IsCompletedSuccessfully));
        Assert.False(queue.TryEnqueue(new IngestBatch([template])));
        Assert.True(queue.IsClosed);
    }

    [Fact]
    public async Task A_batch_the_store_cannot_append_fails_its_requests_marks_the_store_failing_and_is_counted_as_dropped()
    {
        var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var queue = new IngestQueue(16);
        var writer = Writer(queue, store);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            database.Dispose(); // a real store that can no longer write
            var batch = new IngestBatch(Spans("10000000000000000000000000000004"));
            Assert.True(queue.TryEnqueue(batch));

            var failure = await Assert.ThrowsAsync<ObjectDisposedException>(() => batch.Stored.WaitAsync(Limit));

            Assert.True(monitor.IsFailing);
            var status = monitor.Snapshot(queue.Count);
            Assert.False(status.Healthy);
            Assert.Equal(2, status.DroppedSpans);
            Assert.Equal(2, status.Dropped[typeof(ObjectDisposedException).FullName!]);
            Assert.Equal(failure.Message, status.LastError!.Message);
            Assert.Equal(0, status.StoredSpans);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }
}
