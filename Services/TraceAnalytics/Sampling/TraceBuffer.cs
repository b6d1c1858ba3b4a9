using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// The undecided traces, keyed by trace id, and the decisions taken in the last <c>decisionMemory</c>: spans of
/// a decided trace follow its decision (kept with its weight, or dropped and counted). A trace is ready when its
/// root span (no parent) has arrived and none of its spans for <c>quiet</c>, or <c>wait</c> after its first span.
/// Thread-safe: ingest adds while the sampler's decider takes ready traces; a trace is decided under the lock,
/// so no span of it slips in between.
/// </summary>
public sealed class TraceBuffer(int maxTraces, TimeSpan decisionMemory)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PendingTrace> pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> decided = new(StringComparer.Ordinal); // weight; 0 = dropped
    private readonly Queue<(string TraceId, long DecidedAt)> decidedOrder = new();
    private readonly List<SpanRecord> late = [];
    private readonly List<string> ready = [];
    private int bufferedSpans;

    public int BufferedTraces
    {
        get { lock (gate) { return pending.Count; } }
    }

    public int BufferedSpans
    {
        get { lock (gate) { return bufferedSpans; } }
    }

    /// <summary>
    /// Buffers the spans (or, for decided traces, sets kept ones aside for the next flush with their weight); false,
    /// taking none, when that would hold more than the maximum of undecided traces. <paramref name="lateDropped"/>:
    /// spans of traces already dropped, not kept.
    /// </summary>
    public bool TryAdd(IReadOnlyList<SpanRecord> spans, long now, out int lateDropped)
    {
        lateDropped = 0;
        lock (gate)
        {
            if (pending.Count >= maxTraces)
            {
                return false;
            }

            PendingTrace? trace = null;
            string? traceOf = null;
            foreach (var span in spans)
            {
                // Exports group spans by service, and a service's spans of one trace often sit side by side.
                if (trace is not null && string.Equals(span.TraceId, traceOf, StringComparison.Ordinal))
                {
                    trace.Add(span, now);
                    bufferedSpans++;
                    continue;
                }

                trace = null;
                if (decided.TryGetValue(span.TraceId, out var weight))
                {
                    if (weight > 0)
                    {
                        late.Add(weight == 1 ? span : span with { SampleWeight = weight });
                    }
                    else
                    {
                        lateDropped++;
                    }

                    continue;
                }

                if (!pending.TryGetValue(span.TraceId, out trace))
                {
                    trace = new PendingTrace(now);
                    pending[span.TraceId] = trace;
                }

                traceOf = span.TraceId;
                trace.Add(span, now);
                bufferedSpans++;
            }

            return true;
        }
    }

    /// <summary>
    /// Decides every ready trace (every trace when <paramref name="all"/>) with <paramref name="decide"/> (the weight
    /// to keep it with, or 0 to drop it), remembers the decision and adds the kept spans, weighted, to
    /// <paramref name="kept"/>, after the late spans of traces kept earlier. Forgets decisions older than the memory.
    /// </summary>
    public void DecideReady(long now, long quietTicks, long waitTicks, bool all, Func<string, List<SpanRecord>, double> decide, List<SpanRecord> kept)
    {
        lock (gate)
        {
            kept.AddRange(late);
            late.Clear();
            ready.Clear();
            foreach (var (traceId, trace) in pending)
            {
                if (all || now - trace.FirstArrival >= waitTicks || (trace.RootSeen && now - trace.LastArrival >= quietTicks))
                {
                    ready.Add(traceId);
                }
            }

            foreach (var traceId in ready)
            {
                pending.Remove(traceId, out var trace);
                bufferedSpans -= trace!.Spans.Count;
                var weight = decide(traceId, trace.Spans);
                if (weight > 0)
                {
                    foreach (var span in trace.Spans)
                    {
                        kept.Add(weight == 1 ? span : span with { SampleWeight = weight });
                    }
                }

                decided[traceId] = weight;
                decidedOrder.Enqueue((traceId, now));
            }

            var forgetBefore = now - decisionMemory.Ticks;
            while (decidedOrder.TryPeek(out var oldest) && oldest.DecidedAt < forgetBefore)
            {
                decidedOrder.Dequeue();
                decided.Remove(oldest.TraceId);
            }

        }
    }

    private sealed class PendingTrace(long firstArrival)
    {
        public List<SpanRecord> Spans { get; } = new(8);
        public long FirstArrival { get; } = firstArrival;
        public long LastArrival { get; set; } = firstArrival;
        public bool RootSeen { get; private set; }

        public void Add(SpanRecord span, long now)
        {
            Spans.Add(span);
            LastArrival = now;
            RootSeen |= span.ParentSpanId.Length == 0;
        }
    }
}
