using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceBufferTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly long Quiet = TimeSpan.FromSeconds(2).Ticks;
    private static readonly long Wait = TimeSpan.FromSeconds(10).Ticks;
    private static readonly long T0 = Start.Ticks;

    private static long At(double seconds) => T0 + TimeSpan.FromSeconds(seconds).Ticks;

    private readonly TraceBuffer buffer = new(maxTraces: 3, decisionMemory: TimeSpan.FromSeconds(60));
    private readonly List<string> decided = [];

    private List<SpanRecord> Decide(double seconds, Func<string, double> weight)
    {
        var kept = new List<SpanRecord>();
        buffer.DecideReady(At(seconds), Quiet, Wait, all: false, (traceId, _) =>
        {
            decided.Add(traceId);
            return weight(traceId);
        }, kept);
        return kept;
    }

    [Fact]
    public void A_trace_is_decided_once_its_root_arrived_and_it_went_quiet_or_at_the_timeout()
    {
        var order = SampleTraces.Order(1, Start);
        var withoutRoot = SampleTraces.Order(2, Start).Where(s => s.ParentSpanId.Length > 0).ToArray();
        Assert.True(buffer.TryAdd(order.Skip(1).ToArray(), At(0), out _));
        Assert.True(buffer.TryAdd(withoutRoot, At(0), out _));
        Assert.True(buffer.TryAdd(order.Take(1).ToArray(), At(1), out _)); // the root comes last, as the outermost span ends last

        Assert.Empty(Decide(2.5, _ => 1)); // root seen, but quiet for 1.5 s only
        Assert.Equal(order.Count, Decide(3.0, _ => 1).Count); // quiet for 2 s
        Assert.Equal([order[0].TraceId], decided);

        Assert.Empty(Decide(9.9, _ => 1)); // no root: waits for the timeout
        Assert.Equal(withoutRoot.Length, Decide(10, _ => 1).Count);
        Assert.Equal(0, buffer.BufferedTraces);
        Assert.Equal(0, buffer.BufferedSpans);
    }

    [Fact]
    public void Late_spans_follow_the_decision_kept_with_its_weight_or_dropped_and_counted()
    {
        var kept = SampleTraces.Order(1, Start);
        var dropped = SampleTraces.Order(2, Start);
        Assert.True(buffer.TryAdd([.. kept.Take(10), .. dropped.Take(10)], At(0), out _));
        var first = Decide(10, traceId => traceId == kept[0].TraceId ? 20 : 0);
        Assert.Equal(10, first.Count);
        Assert.All(first, span => Assert.Equal(20, span.SampleWeight));

        Assert.True(buffer.TryAdd([.. kept.Skip(10), .. dropped.Skip(10)], At(11), out var lateDropped));
        Assert.Equal(dropped.Count - 10, lateDropped);
        Assert.Equal(0, buffer.BufferedTraces); // not buffered again
        var late = Decide(11.1, _ => throw new InvalidOperationException("decided twice"));
        Assert.Equal(kept.Skip(10).Select(s => s.SpanId), late.Select(s => s.SpanId));
        Assert.All(late, span => Assert.Equal(20, span.SampleWeight));
    }

    [Fact]
    public void A_full_buffer_refuses_the_whole_export_and_takes_again_once_traces_are_decided()
    {
        for (var n = 0; n < 3; n++)
        {
            Assert.True(buffer.TryAdd(SampleTraces.Order(n, Start), At(0), out _));
        }

        Assert.False(buffer.TryAdd(SampleTraces.Order(3, Start), At(0), out _));
        Assert.Equal(3, buffer.BufferedTraces);
        Assert.Equal(3 * SampleTraces.Order(0, Start).Count, buffer.BufferedSpans);

        Decide(3, _ => 1);
        Assert.True(buffer.TryAdd(SampleTraces.Order(3, Start), At(3), out _));
    }

    [Fact]
    public void Decisions_are_forgotten_after_the_memory_and_a_late_span_then_starts_a_new_trace()
    {
        var order = SampleTraces.Order(1, Start);
        Assert.True(buffer.TryAdd(order.Take(5).ToArray(), At(0), out _));
        Decide(10, _ => 0);
        Decide(71, _ => 0); // 61 s after the decision: forgotten
        Assert.True(buffer.TryAdd(order.Skip(5).ToArray(), At(72), out var lateDropped));
        Assert.Equal(0, lateDropped);
        Assert.Equal(1, buffer.BufferedTraces);
    }
}
