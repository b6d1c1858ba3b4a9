using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
[Collection(DuckDbTimingCollection.Name)]
public sealed class DuckDbTraceStoreTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static IReadOnlyList<SpanRecord> OrderSpans(string orderId = "ord-42") =>
        OtlpSpanConverter.Convert(OtlpRequests.OrderRequest(orderId)).Spans;

    [Fact]
    public async Task Appended_spans_come_back_from_GetTrace_with_every_column()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var written = OrderSpans();

        await store.AppendAsync(written);
        var read = await store.GetTraceAsync(OtlpRequests.TraceIdHex);

        Assert.Equal(2, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            var expected = written[i];
            var actual = read[i];
            Assert.Equal(expected.Timestamp, actual.Timestamp);
            Assert.Equal(DateTimeKind.Utc, actual.Timestamp.Kind);
            Assert.Equal(expected.TraceId, actual.TraceId);
            Assert.Equal(expected.SpanId, actual.SpanId);
            Assert.Equal(expected.ParentSpanId, actual.ParentSpanId);
            Assert.Equal(expected.SpanName, actual.SpanName);
            Assert.Equal(expected.SpanKind, actual.SpanKind);
            Assert.Equal(expected.ServiceName, actual.ServiceName);
            Assert.Equal(expected.ScopeName, actual.ScopeName);
            Assert.Equal(expected.ScopeVersion, actual.ScopeVersion);
            Assert.Equal(expected.DurationNanos, actual.DurationNanos);
            Assert.Equal(expected.StatusCode, actual.StatusCode);
            Assert.Equal(expected.StatusMessage, actual.StatusMessage);
            Assert.Equal(expected.SpanAttributes, actual.SpanAttributes);
            Assert.Equal(expected.ResourceAttributes, actual.ResourceAttributes);
            Assert.Equal(expected.OrderId, actual.OrderId);
            Assert.Equal(expected.Events.Count, actual.Events.Count);
        }

        var accepted = Assert.Single(read[0].Events);
        Assert.Equal("order.accepted", accepted.Name);
        Assert.Equal(written[0].Events[0].Timestamp, accepted.Timestamp);
        Assert.Equal("AAPL", accepted.Attributes["trading.symbol"]);
    }

    [Fact]
    public async Task Links_and_awkward_attribute_text_survive_the_round_trip()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var span = OrderSpans()[0] with
        {
            SpanAttributes = new Dictionary<string, string>
            {
                ["quote\"d"] = "line\nbreak \\ \u00e9\u4e2d <tag>",
                ["empty"] = "",
            },
            Links = [new SpanLinkRecord("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "k=v", new Dictionary<string, string> { ["link.kind"] = "follows" })],
        };

        await store.AppendAsync([span]);
        var read = Assert.Single(await store.GetTraceAsync(span.TraceId));

        Assert.Equal(span.SpanAttributes, read.SpanAttributes);
        var link = Assert.Single(read.Links);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", link.TraceId);
        Assert.Equal("00f067aa0ba902b7", link.SpanId);
        Assert.Equal("k=v", link.TraceState);
        Assert.Equal("follows", link.Attributes["link.kind"]);
        Assert.Null(read.OrderId);
    }

    [Fact]
    public async Task An_unknown_trace_has_no_spans()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);

        Assert.Empty(await store.GetTraceAsync("0af7651916cd43dd8448eb211c80319c"));
        Assert.Empty(await store.FindTraceIdsByOrderIdAsync("nope"));
    }

    [Fact]
    public async Task FindTraceIdsByOrderId_puts_the_trace_with_the_most_spans_first()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        const string smallTrace = "11111111111111111111111111111111";
        await store.AppendAsync(OrderSpans("ord-1"));
        await store.AppendAsync(
        [
            OrderSpans("ord-1")[0] with { TraceId = smallTrace },
            OrderSpans("ord-2")[0] with { TraceId = "22222222222222222222222222222222" },
        ]);

        var traceIds = await store.FindTraceIdsByOrderIdAsync("ord-1");

        Assert.Equal([OtlpRequests.TraceIdHex, smallTrace], traceIds);
    }

    [Fact]
    public async Task A_span_appended_twice_is_returned_once()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        await store.AppendAsync(OrderSpans());
        await store.AppendAsync(OrderSpans());

        Assert.Equal(2, (await store.GetTraceAsync(OtlpRequests.TraceIdHex)).Count);
    }

    [Fact]
    public async Task Spans_outlive_the_store_that_wrote_them()
    {
        using (var database = new TraceDatabase(directory.DatabasePath))
        {
            await new DuckDbTraceStore(database).AppendAsync(OrderSpans());
        }

        using var reopenedDatabase = new TraceDatabase(directory.DatabasePath);
        var reopened = new DuckDbTraceStore(reopenedDatabase);
        Assert.Equal(2, (await reopened.GetTraceAsync(OtlpRequests.TraceIdHex)).Count);
        Assert.Equal([OtlpRequests.TraceIdHex], await reopened.FindTraceIdsByOrderIdAsync("ord-42"));
    }

    [Fact]
    public async Task Readers_running_while_the_writer_appends_see_whole_batches_only()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        const int batches = 40;
        const int spansPerBatch = 50;
        var template = OrderSpans()[0];

        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var batch = Enumerable.Range(0, spansPerBatch)
                    .Select(i => template with { SpanId = $"{b:x8}{i:x8}", ParentSpanId = "" })
                    .ToArray();
                await store.AppendAsync(batch);
            }
        });

        var readers = Enumerable.Range(0, 3).Select(reader => Task.Run(async () =>
        {
            var counts = new List<int>();
            while (!writer.IsCompleted)
            {
                counts.Add((await store.GetTraceAsync(template.TraceId)).Count);
                _ = await store.FindTraceIdsByOrderIdAsync("ord-42");
            }

            return counts;
        })).ToArray();

        await writer;
        var seen = (await Task.WhenAll(readers)).SelectMany(c => c).ToArray();

        Assert.All(seen, count => Assert.Equal(0, count % spansPerBatch));
        Assert.Equal(batches * spansPerBatch, (await store.GetTraceAsync(template.TraceId)).Count);
    }
}
