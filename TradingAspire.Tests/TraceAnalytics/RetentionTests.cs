using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Retention;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class RetentionTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }

    private static TraceRetentionJob Job(ITraceRetentionStore store, DateTime now, double retentionHours = 72, double maxSizeMb = 2048) =>
        new(store, Options.Create(new TraceStoreOptions { RetentionHours = retentionHours, MaxSizeMb = maxSizeMb }), new FixedClock(now), NullLogger<TraceRetentionJob>.Instance);

    [Fact]
    public void The_policy_deletes_nothing_within_the_limit_and_down_to_ninety_percent_beyond_it()
    {
        var policy = new RetentionPolicy(TimeSpan.FromHours(72), 1000);

        Assert.Equal(0, policy.FractionToDelete(1000));
        Assert.Equal(1 - 900.0 / 2000, policy.FractionToDelete(2000), 9);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), policy.AgeCutoff(new DateTime(2025, 1, 4, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(0, new RetentionPolicy(TimeSpan.Zero, 0).FractionToDelete(long.MaxValue));
        Assert.Equal(DateTime.MinValue, new RetentionPolicy(TimeSpan.Zero, 0).AgeCutoff(DateTime.UtcNow));
    }

    [Fact]
    public void The_defaults_are_72_hours_and_2048_MiB()
    {
        var policy = RetentionPolicy.From(new TraceStoreOptions());

        Assert.Equal(TimeSpan.FromHours(72), policy.MaxAge);
        Assert.Equal(2048L * 1024 * 1024, policy.MaxBytes);
    }

    [Fact]
    public async Task Spans_older_than_the_retention_age_are_deleted_and_newer_ones_kept()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var retention = new DuckDbTraceRetentionStore(database);
        var now = new DateTime(2025, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        await store.AppendAsync(SampleTraces.Order(0, now.AddHours(-100)));
        await store.AppendAsync(SampleTraces.Order(1, now.AddHours(-73)));
        await store.AppendAsync(SampleTraces.Order(2, now.AddHours(-71)));
        await store.AppendAsync(SampleTraces.Order(3, now.AddMinutes(-1)));

        var result = await Job(retention, now).RunOnceAsync();

        Assert.Equal(34, result.DeletedByAge);
        Assert.Equal(0, result.DeletedBySize);
        Assert.Empty(await store.GetTraceAsync(SampleTraces.TraceId(0)));
        Assert.Empty(await store.GetTraceAsync(SampleTraces.TraceId(1)));
        Assert.Equal(17, (await store.GetTraceAsync(SampleTraces.TraceId(2))).Count);
        Assert.Equal(17, (await store.GetTraceAsync(SampleTraces.TraceId(3))).Count);
        Assert.Equal(34, result.SizeAfter.SpanCount);
    }

    [Fact]
    public async Task Over_the_size_limit_the_oldest_spans_go_first_until_the_store_fits()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var retention = new DuckDbTraceRetentionStore(database);
        var now = new DateTime(2025, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        // More than one DuckDB row group (122,880 rows): room is given back a row group at a time.
        const int traces = 12_000;
        for (var chunk = 0; chunk < traces; chunk += 2000)
        {
            await store.AppendAsync(Enumerable.Range(chunk, 2000).SelectMany(i => SampleTraces.Order(i, now.AddSeconds(-traces + i))).ToArray());
        }

        await retention.CompactAsync();
        var before = await retention.GetSizeAsync();
        var limitMb = before.UsedBytes / 2.0 / 1048576;

        var result = await Job(retention, now, maxSizeMb: limitMb).RunOnceAsync();

        Assert.True(result.DeletedBySize > 0);
        Assert.Equal(0, result.DeletedByAge);
        Assert.True(result.SizeAfter.UsedBytes <= limitMb * 1048576, $"{result.SizeAfter.UsedBytes} bytes used, limit {limitMb * 1048576:0}");
        Assert.True(result.SizeAfter.SpanCount > 0);
        // What is left is the newest: the oldest remaining span is younger than any deleted one.
        Assert.Empty(await store.GetTraceAsync(SampleTraces.TraceId(0)));
        Assert.Equal(17, (await store.GetTraceAsync(SampleTraces.TraceId(traces - 1))).Count);
        Assert.True(result.SizeAfter.Oldest > now.AddSeconds(-traces));
    }

    [Fact]
    public async Task The_background_job_enforces_retention_on_its_own()
    {
        using var database = new TraceDatabase(directory.DatabasePath);
        var store = new DuckDbTraceStore(database);
        var retention = new DuckDbTraceRetentionStore(database);
        var now = DateTime.UtcNow;
        await store.AppendAsync(SampleTraces.Order(0, now.AddHours(-10)));
        await store.AppendAsync(SampleTraces.Order(1, now));
        var job = new TraceRetentionJob(retention,
            Options.Create(new TraceStoreOptions { RetentionHours = 1, RetentionIntervalSeconds = 1 }),
            TimeProvider.System, NullLogger<TraceRetentionJob>.Instance);

        await job.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.True(async () => (await store.GetTraceAsync(SampleTraces.TraceId(0))).Count == 0,
                TimeSpan.FromSeconds(30), "the old trace to be deleted");
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }

        Assert.Equal(17, (await store.GetTraceAsync(SampleTraces.TraceId(1))).Count);
    }
}
