using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// Tests that hammer DuckDB from several threads and tests that measure ingest latency run one after
/// the other: DuckDB.NET blocks thread-pool threads, and on two cores the stress test would starve the timing.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DuckDbTimingCollection
{
    public const string Name = "DuckDB timing";
}
