namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>Spans by index, their children, roots (no parent in the trace) and each subtree's latest end.</summary>
internal sealed class SpanTree
{
    public List<TraceSpan> Nodes { get; } = [];
    public List<List<int>> Children { get; } = [];
    public List<int> Roots { get; } = [];
    public long[] SubtreeEnd { get; private set; } = [];
    public int[] Parent { get; private set; } = [];
    public long Start { get; private set; }
    public long End { get; private set; }

    public static SpanTree Build(IReadOnlyList<TraceSpan> spans, bool includeUnreachable = false)
    {
        var tree = new SpanTree();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (span.SpanId.Length > 0 && byId.TryAdd(span.SpanId, tree.Nodes.Count))
            {
                tree.Nodes.Add(span.EndNanos < span.StartNanos ? span with { EndNanos = span.StartNanos } : span);
                tree.Children.Add([]);
            }
        }

        tree.Parent = new int[tree.Nodes.Count];
        var roots = new List<int>();
        for (var i = 0; i < tree.Nodes.Count; i++)
        {
            var parentId = tree.Nodes[i].ParentSpanId;
            if (!string.IsNullOrEmpty(parentId) && byId.TryGetValue(parentId, out var parent) && parent != i)
            {
                tree.Children[parent].Add(i);
                tree.Parent[i] = parent;
            }
            else
            {
                roots.Add(i);
                tree.Parent[i] = -1;
            }
        }

        // Pre-order from the roots; spans caught in a parent cycle are not reachable and are left out
        // (or, for self times only, cut loose as roots of their own).
        var reachable = new bool[tree.Nodes.Count];
        var preOrder = new List<int>(tree.Nodes.Count);
        void Visit(IEnumerable<int> from)
        {
            var stack = new Stack<int>(from);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                if (reachable[i])
                {
                    continue;
                }

                reachable[i] = true;
                preOrder.Add(i);
                foreach (var c in tree.Children[i])
                {
                    stack.Push(c);
                }
            }
        }

        Visit(roots);
        if (includeUnreachable)
        {
            for (var i = 0; i < reachable.Length; i++)
            {
                if (!reachable[i])
                {
                    roots.Add(i);
                    Visit([i]);
                }
            }
        }

        tree.Roots.AddRange(roots.OrderBy(r => tree.Nodes[r].StartNanos));
        tree.SubtreeEnd = new long[tree.Nodes.Count];
        for (var k = preOrder.Count - 1; k >= 0; k--)
        {
            var i = preOrder[k];
            var end = tree.Nodes[i].EndNanos;
            foreach (var c in tree.Children[i])
            {
                if (reachable[c])
                {
                    end = Math.Max(end, tree.SubtreeEnd[c]);
                }
            }

            tree.SubtreeEnd[i] = end;
        }

        if (preOrder.Count > 0)
        {
            tree.Start = preOrder.Min(i => tree.Nodes[i].StartNanos);
            tree.End = tree.Roots.Max(r => tree.SubtreeEnd[r]);
        }

        return tree;
    }

    /// <summary>For each span, the stage it counts toward: itself if a stage, else the nearest stage above it, else its own name.</summary>
    public string[] Stages(Func<string, bool> isStage)
    {
        // above[i]: the nearest stage at or above span i, "" when there is none (memoized along each chain).
        var above = new string?[Nodes.Count];
        var chain = new List<int>();
        for (var i = 0; i < Nodes.Count; i++)
        {
            chain.Clear();
            var current = i;
            string? found = null;
            while (current >= 0 && chain.Count <= Nodes.Count)
            {
                if (above[current] is { } known)
                {
                    found = known;
                    break;
                }

                if (isStage(Nodes[current].Name))
                {
                    found = above[current] = Nodes[current].Name;
                    break;
                }

                chain.Add(current);
                current = Parent[current];
            }

            found ??= "";
            foreach (var c in chain)
            {
                above[c] = found;
            }
        }

        return above.Select((stage, i) => string.IsNullOrEmpty(stage) ? Nodes[i].Name : stage).ToArray();
    }

    /// <summary>Duration minus the union of the children's intervals clipped to the span.</summary>
    public long[] SelfTimes()
    {
        var self = new long[Nodes.Count];
        for (var i = 0; i < Nodes.Count; i++)
        {
            var span = Nodes[i];
            var intervals = Children[i]
                .Select(c => (Start: Math.Max(Nodes[c].StartNanos, span.StartNanos), End: Math.Min(Nodes[c].EndNanos, span.EndNanos)))
                .Where(c => c.End > c.Start)
                .OrderBy(c => c.Start)
                .ToArray();
            long covered = 0;
            long runStart = 0, runEnd = long.MinValue;
            foreach (var (start, end) in intervals)
            {
                if (start > runEnd)
                {
                    if (runEnd > runStart)
                    {
                        covered += runEnd - runStart;
                    }

                    (runStart, runEnd) = (start, end);
                }
                else
                {
                    runEnd = Math.Max(runEnd, end);
                }
            }

            if (runEnd > runStart)
            {
                covered += runEnd - runStart;
            }

            self[i] = span.DurationNanos - covered;
        }

        return self;
    }
}
