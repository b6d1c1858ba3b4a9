using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class SampleWeightMigrationTests : IDisposable
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task A_store_written_before_tail_sampling_gains_the_weight_column_with_weight_1_and_takes_new_spans()
    {
        // A file as written before SampleWeight existed: the same table without that column (and its indexes).
        using (var database = new TraceDatabase(directory.DatabasePath))
        {
            await new DuckDbTraceStore(database).AppendAsync(SampleTraces.Order(1, Start));
            await database.ExecuteAsync(new DuckDbQuery("""
                DROP INDEX IF EXISTS otel_traces_trace_id;
                DROP INDEX IF EXISTS otel_traces_order_id;
                ALTER TABLE otel_traces DROP COLUMN "SampleWeight";
                """));
        }

        using (var database = new TraceDatabase(directory.DatabasePath))
        {
            var store = new DuckDbTraceStore(database);
            var old = await store.GetTraceAsync(SampleTraces.TraceId(1));
            Assert.Equal(SampleTraces.Order(1, Start).Count, old.Count);
            Assert.All(old, span => Assert.Equal(1, span.SampleWeight));

            await store.AppendAsync(SampleTraces.Order(2, Start).Select(s => s with { SampleWeight = 20 }).ToArray());
            Assert.All(await store.GetTraceAsync(SampleTraces.TraceId(2)), span => Assert.Equal(20, span.SampleWeight));
            Assert.Equal([SampleTraces.TraceId(2)], await store.FindTraceIdsByOrderIdAsync("ord-2"));
        }
    }
}
