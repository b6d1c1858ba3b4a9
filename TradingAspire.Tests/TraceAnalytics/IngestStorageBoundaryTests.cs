using System.Reflection;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// Ingest, tail sampling and forwarding reach storage only through its interfaces (<see cref="ITraceStore"/>): none of
/// their types takes or holds a DuckDB class, so another store (ClickHouse, ...) plugs in behind the same ingest.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class IngestStorageBoundaryTests
{
    private static readonly string[] IngestNamespaces =
    [
        "TradingAspire.TraceAnalytics.Ingest",
        "TradingAspire.TraceAnalytics.Sampling",
        "TradingAspire.TraceAnalytics.Forwarding",
        "TradingAspire.TraceAnalytics.Otlp",
    ];

    private static bool IsDuckDb(Type type) =>
        type.Namespace == typeof(ITraceStore).Namespace && !type.IsInterface && (type.Name.StartsWith("DuckDb", StringComparison.Ordinal) || type == typeof(TraceDatabase));

    [Fact]
    public void No_ingest_sampling_or_forwarding_type_depends_on_a_DuckDB_class()
    {
        var types = typeof(OtlpTraceIngest).Assembly.GetTypes().Where(t => IngestNamespaces.Contains(t.Namespace)).ToList();
        Assert.Contains(typeof(TraceBatchWriter), types);

        var dependencies = types.SelectMany(type =>
            type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).SelectMany(c => c.GetParameters()).Select(p => (type, p.ParameterType))
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Select(f => (type, f.FieldType))));
        var offending = dependencies.Where(d => IsDuckDb(d.Item2)).Select(d => $"{d.type.Name} → {d.Item2.Name}").Distinct().ToList();

        Assert.True(offending.Count == 0, "Ingest depends on DuckDB classes: " + string.Join(", ", offending));
        Assert.Contains(typeof(ITraceStore), typeof(TraceBatchWriter).GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType));
    }
}
