using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class SpanSearchTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory directory = new();
    private readonly TraceDatabase database;
    private readonly DuckDbTraceStore store;
    private readonly DuckDbTraceAnalyticsStore analytics;

    public SpanSearchTests()
    {
        database = new TraceDatabase(directory.DatabasePath);
        store = new DuckDbTraceStore(database);
        analytics = new DuckDbTraceAnalyticsStore(database);
    }

    public void Dispose()
    {
        database.Dispose();
        directory.Dispose();
    }

    [Fact]
    public async Task Paging_with_the_cursor_returns_every_match_once_newest_first_even_while_spans_arrive()
    {
        var batch = Enumerable.Range(0, 25).SelectMany(i => SampleTraces.Order(i, Start.AddSeconds(i / 5))).ToList(); // 5 orders share each second
        await store.AppendAsync(batch);
        var criteria = new SpanSearchCriteria(Start, Start.AddHours(1), Name: "venue.match", Limit: 7);

        var seen = new List<SpanRecord>();
        SpanCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await analytics.SearchSpansAsync(criteria with { After = cursor });
            seen.AddRange(page.Spans);
            cursor = page.Next;
            pages++;
            // Newer spans arriving between pages do not shift the pages still to come.
            await store.AppendAsync(SampleTraces.Order(100 + pages, Start.AddMinutes(30)));
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(25, seen.Count);
        Assert.Equal(seen.Count, seen.Select(s => s.SpanId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.Timestamp).ThenByDescending(s => s.TraceId).ThenByDescending(s => s.SpanId).Select(s => s.SpanId),
            seen.Select(s => s.SpanId));
    }

    [Fact]
    public async Task A_cursor_survives_its_round_trip_through_text()
    {
        var cursor = new SpanCursor(Start.AddTicks(123), SampleTraces.TraceId(3), SampleTraces.SpanId(3, 4));
        var errors = new QueryErrors();

        Assert.Equal(cursor, SpanCursorText.Parse(SpanCursorText.Encode(cursor), "cursor", errors));
        Assert.Null(SpanCursorText.Parse("not-a-cursor", "cursor", errors));
        Assert.True(errors.Any);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_span_from_a_foreign_sdk_is_found_by_service_and_name()
    {
        await store.AppendAsync(SampleTraces.Order(0, Start));
        await store.AppendAsync([SampleTraces.Foreign("abcdefabcdefabcdefabcdefabcdef01", "0102030405060708", Start.AddSeconds(1))]);

        var page = await analytics.SearchSpansAsync(new SpanSearchCriteria(Start, Start.AddHours(1), Service: "python-billing", Name: "SELECT invoices"));

        var span = Assert.Single(page.Spans);
        Assert.Equal("abcdefabcdefabcdefabcdefabcdef01", span.TraceId);
        Assert.Empty(span.SpanAttributes);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Attributes_duration_and_status_narrow_the_search()
    {
        await store.AppendAsync(SampleTraces.Order(0, Start, "kraken", 40, riskError: true));
        await store.AppendAsync(SampleTraces.Order(1, Start.AddSeconds(1), "binance", 10));

        async Task<IReadOnlyList<SpanRecord>> Search(SpanSearchCriteria criteria) => (await analytics.SearchSpansAsync(criteria)).Spans;
        var window = new SpanSearchCriteria(Start, Start.AddHours(1));

        Assert.Equal(17, (await Search(window with { Attributes = [new("trading.order_id", "ord-1")] })).Count);
        Assert.Equal(3, (await Search(window with { Attributes = [new("trading.venue", "kraken")] })).Count);
        Assert.Equal(["risk.check"], (await Search(window with { Attributes = [new("trading.risk.reason", "notional")] })).Select(s => s.SpanName));
        Assert.Equal(["risk.check"], (await Search(window with { StatusCode = "Error" })).Select(s => s.SpanName));
        Assert.Equal(["venue.match"], (await Search(window with { Name = "venue.match", MinDurationNanos = 20_000_000 })).Select(s => s.SpanAttributes["trading.venue"] == "kraken" ? "venue.match" : "wrong"));
        Assert.Single(await Search(window with { Name = "venue.match", MaxDurationNanos = 20_000_000 }));
        Assert.Empty(await Search(window with { Attributes = [new("trading.order_id", "ord-1"), new("trading.venue", "kraken")] }));
    }
}
