namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>
/// Finds the chain of spans that decided how long a trace took. Walks from the root backwards in time:
/// at each span, among its children whose end (including their own descendants' work) falls before the
/// current point, it follows the one ending last (earliest start on a tie: it covers more), then continues
/// from that child's start. Children that end during a chosen sibling ran in parallel and are not on the path;
/// time between children is the parent's own. Children that outlive their parent (a producer's consumer,
/// fire-and-forget work) extend it: after the parent ended, the path waits in it until the child starts
/// (<see cref="PathSegmentKind.Wait"/>). Children starting before their parent (clock skew) are followed as they are.
/// The segments always add up to the trace's duration (first start to last end).
/// Iterative, so a deep trace cannot overflow the stack.
/// </summary>
public static class CriticalPathAnalyzer
{
    public const string GapStage = "(gap)";
    public const string WaitStagePrefix = "wait after ";

    public static CriticalPath Analyze(IReadOnlyList<TraceSpan> spans, Func<string, bool>? isStage = null)
    {
        isStage ??= PipelineStages.IsStage;
        var tree = SpanTree.Build(spans);
        if (tree.Roots.Count == 0)
        {
            return CriticalPath.Empty;
        }

        var stages = tree.Stages(isStage);
        var segments = Walk(tree, stages);
        var selfTimes = tree.SelfTimes();

        var onPath = new Dictionary<int, (long Self, long Wait)>();
        var order = new List<int>();
        foreach (var (index, kind, length) in segments.Where(s => s.Index >= 0).Select(s => (s.Index, s.Segment.Kind, s.Segment.DurationNanos)))
        {
            if (!onPath.TryGetValue(index, out var totals))
            {
                order.Add(index);
            }

            onPath[index] = kind == PathSegmentKind.Self ? (totals.Self + length, totals.Wait) : (totals.Self, totals.Wait + length);
        }

        var pathSpans = order
            .Select(i => new CriticalPathSpan(tree.Nodes[i], stages[i], onPath[i].Self, onPath[i].Wait, selfTimes[i]))
            .ToArray();
        var largest = pathSpans.OrderByDescending(s => s.SelfTimeNanos).ThenBy(s => s.Span.StartNanos).FirstOrDefault();
        var byStage = pathSpans.GroupBy(s => s.Stage)
            .Select(g => (Stage: g.Key, Nanos: g.Sum(s => s.OnPathNanos)))
            .OrderByDescending(g => g.Nanos).ThenBy(g => g.Stage, StringComparer.Ordinal)
            .FirstOrDefault();

        return new CriticalPath(
            tree.Start,
            tree.End,
            segments.Select(s => s.Segment).ToArray(),
            pathSpans,
            largest,
            byStage.Stage,
            byStage.Nanos);
    }

    /// <summary>
    /// The path's segments alone, in time order, and the trace's first start and last end: what
    /// <see cref="BottleneckAnalyzer"/> sums over thousands of traces, without the per-span totals and self
    /// times <see cref="Analyze"/> adds for one trace.
    /// </summary>
    public static (long StartNanos, long EndNanos, IReadOnlyList<CriticalPathSegment> Segments) Segments(
        IReadOnlyList<TraceSpan> spans, Func<string, bool>? isStage = null)
    {
        var tree = SpanTree.Build(spans);
        if (tree.Roots.Count == 0)
        {
            return (0, 0, []);
        }

        var walked = Walk(tree, tree.Stages(isStage ?? PipelineStages.IsStage));
        var segments = new CriticalPathSegment[walked.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = walked[i].Segment;
        }

        return (tree.Start, tree.End, segments);
    }

    /// <summary>Self time of every span: duration minus the union of its children's intervals clipped to it.</summary>
    public static IReadOnlyDictionary<string, long> SelfTimes(IReadOnlyList<TraceSpan> spans)
    {
        var tree = SpanTree.Build(spans, includeUnreachable: true);
        var selfTimes = tree.SelfTimes();
        return tree.Nodes.Select((n, i) => (n.SpanId, selfTimes[i])).ToDictionary(p => p.SpanId, p => p.Item2, StringComparer.Ordinal);
    }

    // "wait after <name>" per span name, so a wait segment does not build its stage text again (names are few).
    [ThreadStatic]
    private static Dictionary<string, string>? waitStages;

    private static string WaitStage(string spanName)
    {
        var cache = waitStages ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (!cache.TryGetValue(spanName, out var stage))
        {
            stage = WaitStagePrefix + spanName;
            if (cache.Count < 4096)
            {
                cache[spanName] = stage;
            }
        }

        return stage;
    }

    private sealed class Frame(int span, long start, long end, long limit, int[] children, long[] clippedEnds)
    {
        public int Span { get; } = span;
        public long Start { get; } = start;
        public long End { get; } = end;
        public long Cursor { get; set; } = limit;
        public long Reached { get; set; } = limit;
        public int[] Children { get; } = children;
        public long[] ClippedEnds { get; } = clippedEnds;
        public int Next { get; set; }
        public int ChildInProgress { get; set; } = -1;
    }

    private static List<(int Index, CriticalPathSegment Segment)> Walk(SpanTree tree, string[] stages)
    {
        var reversed = new List<(int Index, CriticalPathSegment Segment)>();

        void Emit(Frame frame, long from, long to)
        {
            if (to <= from)
            {
                return;
            }

            if (frame.Span < 0)
            {
                Add(-1, null, PathSegmentKind.Gap, from, to);
                return;
            }

            // Newest part first: after the span's end it waits, within it it runs, before its start (skew) it waits.
            var end = frame.End;
            var start = frame.Start;
            Add(frame.Span, tree.Nodes[frame.Span], PathSegmentKind.Wait, Math.Max(from, end), to);
            Add(frame.Span, tree.Nodes[frame.Span], PathSegmentKind.Self, Math.Max(from, start), Math.Min(to, end));
            Add(frame.Span, tree.Nodes[frame.Span], PathSegmentKind.Wait, from, Math.Min(to, start));
        }

        void Add(int index, TraceSpan? span, PathSegmentKind kind, long from, long to)
        {
            if (to <= from)
            {
                return;
            }

            // Segments arrive newest first; merge with the previous one when it continues the same span and kind.
            if (reversed.Count > 0 && reversed[^1] is var (lastIndex, last) && lastIndex == index && last.Kind == kind && last.StartNanos == to)
            {
                reversed[^1] = (index, last with { StartNanos = from });
                return;
            }

            var stage = kind switch
            {
                PathSegmentKind.Gap => GapStage,
                PathSegmentKind.Wait => WaitStage(span!.Name),
                _ => stages[index],
            };
            reversed.Add((index, new CriticalPathSegment(span?.SpanId, span?.Name ?? GapStage, span?.ServiceName ?? "", stage, kind, from, to)));
        }

        Frame NewFrame(int span, long start, long end, long limit, IReadOnlyList<int> children)
        {
            // Children by clipped end, latest first; then earliest start; then span id.
            var sorted = new int[children.Count];
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = children[i];
            }

            if (sorted.Length > 1)
            {
                Array.Sort(sorted, (a, b) =>
                {
                    var byEnd = Math.Min(tree.SubtreeEnd[b], limit).CompareTo(Math.Min(tree.SubtreeEnd[a], limit));
                    if (byEnd != 0)
                    {
                        return byEnd;
                    }

                    var byStart = tree.Nodes[a].StartNanos.CompareTo(tree.Nodes[b].StartNanos);
                    return byStart != 0 ? byStart : string.CompareOrdinal(tree.Nodes[a].SpanId, tree.Nodes[b].SpanId);
                });
            }

            var clipped = new long[sorted.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                clipped[i] = Math.Min(tree.SubtreeEnd[sorted[i]], limit);
            }

            return new Frame(span, start, end, limit, sorted, clipped);
        }

        var stack = new Stack<Frame>();
        stack.Push(NewFrame(-1, tree.Start, tree.Start, tree.End, tree.Roots));
        while (stack.Count > 0)
        {
            var frame = stack.Peek();
            if (frame.ChildInProgress >= 0)
            {
                // The child's walk has finished: continue from where it reached back to.
                frame.Cursor = Math.Min(frame.Cursor, frame.Reached);
                frame.ChildInProgress = -1;
            }

            var picked = -1;
            while (frame.Next < frame.Children.Length)
            {
                var i = frame.Next++;
                var child = tree.Nodes[frame.Children[i]];
                if (frame.ClippedEnds[i] <= frame.Cursor && child.StartNanos < frame.ClippedEnds[i])
                {
                    picked = i;
                    break;
                }
            }

            if (picked < 0)
            {
                Emit(frame, Math.Min(frame.Start, frame.Cursor), frame.Cursor);
                stack.Pop();
                if (stack.Count > 0)
                {
                    var parent = stack.Peek();
                    parent.Reached = Math.Min(Math.Min(frame.Start, frame.Cursor), parent.Reached);
                }

                continue;
            }

            var childIndex = frame.Children[picked];
            var childEnd = frame.ClippedEnds[picked];
            Emit(frame, childEnd, frame.Cursor);
            frame.Cursor = childEnd;
            frame.Reached = childEnd;
            frame.ChildInProgress = childIndex;
            var node = tree.Nodes[childIndex];
            stack.Push(NewFrame(childIndex, node.StartNanos, node.EndNanos, childEnd, tree.Children[childIndex]));
        }

        reversed.Reverse();
        return reversed;
    }
}
