using TradingAspire.TraceAnalytics.Analytics;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class CriticalPathAnalyzerTests
{
    private const long Ms = 1_000_000;

    private static TraceSpan Span(string id, string? parent, long startMs, long endMs, string? name = null) =>
        new(id, parent, name ?? id, "svc", startMs * Ms, endMs * Ms);

    private static (string Span, PathSegmentKind Kind, long From, long To)[] Segments(CriticalPath path) =>
        path.Segments.Select(s => (s.SpanId ?? "-", s.Kind, s.StartNanos / Ms, s.EndNanos / Ms)).ToArray();

    private static readonly Func<string, bool> NoStages = _ => false;

    [Fact]
    public void Sequential_children_with_gaps_leave_the_gaps_to_the_parent()
    {
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("root", null, 0, 100),
            Span("a", "root", 10, 30),
            Span("b", "root", 40, 90),
        ], NoStages);

        Assert.Equal(
            [("root", PathSegmentKind.Self, 0, 10), ("a", PathSegmentKind.Self, 10, 30), ("root", PathSegmentKind.Self, 30, 40),
             ("b", PathSegmentKind.Self, 40, 90), ("root", PathSegmentKind.Self, 90, 100)],
            Segments(path));
        var root = path.Spans.Single(s => s.Span.SpanId == "root");
        Assert.Equal(30 * Ms, root.OnPathNanos);
        Assert.Equal(30 * Ms, root.SelfTimeNanos);
        Assert.Equal("b", path.LargestSelfTime!.Span.SpanId);
    }

    [Fact]
    public void Of_parallel_children_only_the_one_ending_last_is_on_the_path()
    {
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("root", null, 0, 100),
            Span("slow", "root", 10, 80),
            Span("fast", "root", 20, 60),
        ], NoStages);

        Assert.Equal(
            [("root", PathSegmentKind.Self, 0, 10), ("slow", PathSegmentKind.Self, 10, 80), ("root", PathSegmentKind.Self, 80, 100)],
            Segments(path));
        Assert.DoesNotContain(path.Spans, s => s.Span.SpanId == "fast");
        Assert.Equal(30 * Ms, path.Spans.Single(s => s.Span.SpanId == "root").SelfTimeNanos);
    }

    [Fact]
    public void An_overlapping_sibling_that_ends_during_the_chosen_child_is_not_followed()
    {
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("root", null, 0, 100),
            Span("first", "root", 10, 50),
            Span("second", "root", 40, 90),
        ], NoStages);

        // "first" ends at 50, after "second" started at 40: it was not what the parent waited for at 40.
        Assert.Equal(
            [("root", PathSegmentKind.Self, 0, 40), ("second", PathSegmentKind.Self, 40, 90), ("root", PathSegmentKind.Self, 90, 100)],
            Segments(path));
        // Self time subtracts the union of the children, so the overlap is not counted twice: 100 - (90 - 10).
        Assert.Equal(20 * Ms, CriticalPathAnalyzer.SelfTimes([Span("root", null, 0, 100), Span("first", "root", 10, 50), Span("second", "root", 40, 90)])["root"]);
    }

    [Fact]
    public void Equal_ends_prefer_the_child_that_started_first()
    {
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("root", null, 0, 100),
            Span("late", "root", 50, 90),
            Span("early", "root", 10, 90),
        ], NoStages);

        Assert.Contains(path.Spans, s => s.Span.SpanId == "early");
        Assert.DoesNotContain(path.Spans, s => s.Span.SpanId == "late");
    }

    [Fact]
    public void A_child_outliving_its_parent_extends_the_path_and_the_wait_is_the_parents()
    {
        // A producer (send) ends at 12; its consumer starts at 20 and runs to 60, long after the root returned at 15.
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("root", null, 0, 15),
            Span("send", "root", 10, 12),
            Span("process", "send", 20, 60),
            Span("work", "process", 25, 55),
        ], NoStages);

        Assert.Equal(0, path.StartNanos);
        Assert.Equal(60 * Ms, path.EndNanos);
        Assert.Equal(
            [("root", PathSegmentKind.Self, 0, 10), ("send", PathSegmentKind.Self, 10, 12), ("send", PathSegmentKind.Wait, 12, 20),
             ("process", PathSegmentKind.Self, 20, 25), ("work", PathSegmentKind.Self, 25, 55), ("process", PathSegmentKind.Self, 55, 60)],
            Segments(path));
        var send = path.Spans.Single(s => s.Span.SpanId == "send");
        Assert.Equal(2 * Ms, send.OnPathNanos);
        Assert.Equal(8 * Ms, send.WaitNanos);
        Assert.Equal("wait after send", path.Segments.Single(s => s.Kind == PathSegmentKind.Wait).Stage);
        // The root's own self time is what its children do not cover within it: 15 - (12 - 10).
        Assert.Equal(13 * Ms, path.Spans.Single(s => s.Span.SpanId == "root").SelfTimeNanos);
    }

    [Fact]
    public void A_child_that_runs_past_its_parent_is_clipped_for_the_self_time_of_the_parent()
    {
        var spans = new[] { Span("parent", null, 0, 50), Span("child", "parent", 30, 80) };

        Assert.Equal(30 * Ms, CriticalPathAnalyzer.SelfTimes(spans)["parent"]);
        var path = CriticalPathAnalyzer.Analyze(spans, NoStages);
        Assert.Equal(
            [("parent", PathSegmentKind.Self, 0, 30), ("child", PathSegmentKind.Self, 30, 80)],
            Segments(path));
    }

    [Fact]
    public void Two_root_spans_with_time_between_them_leave_a_gap()
    {
        var path = CriticalPathAnalyzer.Analyze([Span("one", null, 0, 10), Span("two", null, 30, 40)], NoStages);

        Assert.Equal(
            [("one", PathSegmentKind.Self, 0, 10), ("-", PathSegmentKind.Gap, 10, 30), ("two", PathSegmentKind.Self, 30, 40)],
            Segments(path));
    }

    [Fact]
    public void Time_in_http_and_redis_spans_counts_toward_the_nearest_stage_above_them()
    {
        var path = CriticalPathAnalyzer.Analyze(
        [
            Span("execute", null, 0, 100, "order.execute"),
            Span("http", "execute", 5, 95, "POST"),
            Span("match", "http", 10, 90, "venue.match"),
        ]);

        var http = path.Spans.Single(s => s.Span.SpanId == "http");
        Assert.Equal("order.execute", http.Stage);
        Assert.Equal("venue.match", path.LargestStage);
        Assert.Equal(80 * Ms, path.LargestStageNanos);
    }

    [Fact]
    public void The_segments_of_a_pipeline_trace_add_up_to_its_duration_and_the_venue_dominates()
    {
        var spans = SampleTraces.Order(0, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), venueMatchMs: 40)
            .Select(TradingAspire.TraceAnalytics.Query.TraceAnalyticsService.ToTraceSpan).ToArray();

        var path = CriticalPathAnalyzer.Analyze(spans);

        Assert.Equal(path.DurationNanos, path.Segments.Sum(s => s.DurationNanos));
        Assert.Equal(path.Segments.Count - 1, path.Segments.Zip(path.Segments.Skip(1)).Count(p => p.First.EndNanos == p.Second.StartNanos));
        Assert.Equal("venue.match", path.LargestStage);
        Assert.Equal("venue.match", path.LargestSelfTime!.Span.Name);
        Assert.Contains(path.Segments, s => s.Stage == "wait after send orders.new");
    }

    [Fact]
    public void Random_traces_are_always_covered_exactly_once()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var spans = new List<TraceSpan>();
            var count = random.Next(1, 30);
            for (var i = 0; i < count; i++)
            {
                var start = random.Next(0, 1000);
                var parent = i == 0 || random.Next(10) == 0 ? null : $"s{random.Next(i)}";
                spans.Add(Span($"s{i}", parent, start, start + random.Next(0, 300)));
            }

            var path = CriticalPathAnalyzer.Analyze(spans, NoStages);

            Assert.Equal(path.DurationNanos, path.Segments.Sum(s => s.DurationNanos));
            for (var k = 1; k < path.Segments.Count; k++)
            {
                Assert.Equal(path.Segments[k - 1].EndNanos, path.Segments[k].StartNanos);
            }

            Assert.All(CriticalPathAnalyzer.SelfTimes(spans).Values, self => Assert.True(self >= 0));
        }
    }

    [Fact]
    public void Segments_alone_are_the_full_analysis_segments_also_when_children_tie()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            var spans = new List<TraceSpan>();
            var count = random.Next(1, 25);
            for (var i = 0; i < count; i++)
            {
                // Few distinct times, so many siblings tie on end and start and the span id decides.
                var start = random.Next(0, 4) * 10;
                var parent = i == 0 ? null : $"s{random.Next(i)}";
                spans.Add(Span($"s{i}", parent, start, start + random.Next(0, 4) * 10));
            }

            var full = CriticalPathAnalyzer.Analyze(spans, NoStages);
            var (start0, end0, segments) = CriticalPathAnalyzer.Segments(spans, NoStages);

            Assert.Equal((full.StartNanos, full.EndNanos), (start0, end0));
            Assert.Equal(full.Segments, segments);
        }
    }

    [Fact]
    public void A_parent_cycle_does_not_hang_and_an_empty_trace_has_an_empty_path()
    {
        var path = CriticalPathAnalyzer.Analyze([Span("a", "b", 0, 10), Span("b", "a", 0, 10), Span("c", null, 0, 5)], NoStages);

        Assert.Equal(["c"], path.Spans.Select(s => s.Span.SpanId));
        Assert.Empty(CriticalPathAnalyzer.Analyze([]).Segments);
    }

    [Fact]
    public void A_very_deep_trace_does_not_overflow_the_stack()
    {
        var spans = Enumerable.Range(0, 20_000).Select(i => Span($"s{i}", i == 0 ? null : $"s{i - 1}", i, 40_000 - i)).ToArray();

        var path = CriticalPathAnalyzer.Analyze(spans, NoStages);

        Assert.Equal(20_000, path.Spans.Count);
    }
}
