namespace TradingAspire.MarketData;

/// <summary>What one sequenced message meant for the sequence.</summary>
public enum SequenceOutcome : byte
{
    /// <summary>The next expected number (or the first of a connection).</summary>
    InOrder,
    /// <summary>Numbers were skipped: a new gap [<see cref="SequenceTracker.LastGapFrom"/>, <see cref="SequenceTracker.LastGapTo"/>].</summary>
    Gap,
    /// <summary>A replayed message that fills a missing number.</summary>
    Filled,
    /// <summary>A live message whose number went backwards (already seen, or late).</summary>
    OutOfOrder,
    /// <summary>A replayed message that was not missing.</summary>
    Duplicate,
}

/// <summary>A gap closed by the venue's answer: its size and whether every missing message arrived.</summary>
public readonly record struct GapResolution(long FromSeq, long ToSeq, long Size, bool Recovered, long StartedTimestamp);

/// <summary>
/// One connection's sequence numbers (pure, no I/O): detects gaps (a jump forward, or a heartbeat whose
/// <c>lastSeq</c> is past the last message: a tail gap), numbers going backwards, and tracks each open gap's
/// missing numbers while replayed messages fill them. A gap is closed by <see cref="ReplayDone"/>
/// (recovered iff every number arrived), or by <see cref="ReplayUnavailable"/> / <see cref="Resynced"/>
/// (a snapshot replaced the book: not recovered).
/// </summary>
public sealed class SequenceTracker
{
    /// <summary>Gaps larger than this are not tracked number by number: they go straight to a snapshot.</summary>
    public const long MaxTrackedGap = 100_000;

    private readonly List<OpenGap> open = [];

    /// <summary>The highest number seen (or announced by a heartbeat or snapshot); 0 before the first.</summary>
    public long LastSeq { get; private set; }

    public long LastGapFrom { get; private set; }
    public long LastGapTo { get; private set; }
    public long LastGapSize => LastGapTo - LastGapFrom + 1;

    public int OpenGaps => open.Count;

    public SequenceOutcome OnMessage(long seq, bool replay, long nowTimestamp = 0)
    {
        if (seq == LastSeq + 1)
        {
            LastSeq = seq;
            return replay ? SequenceOutcome.Duplicate : SequenceOutcome.InOrder;
        }

        if (seq > LastSeq)
        {
            if (replay)
            {
                // A replayed message beyond what was ever announced: nothing is missing there yet.
                return SequenceOutcome.Duplicate;
            }

            Open(LastSeq + 1, seq - 1, nowTimestamp);
            LastSeq = seq;
            return SequenceOutcome.Gap;
        }

        var filled = Fill(seq);
        if (replay)
        {
            return filled ? SequenceOutcome.Filled : SequenceOutcome.Duplicate;
        }

        return SequenceOutcome.OutOfOrder;
    }

    /// <summary>A heartbeat: a <paramref name="lastSeq"/> past the last message reveals a tail gap (returns true).</summary>
    public bool OnHeartbeat(long lastSeq, long nowTimestamp = 0)
    {
        if (lastSeq <= LastSeq)
        {
            return false;
        }

        Open(LastSeq + 1, lastSeq, nowTimestamp);
        LastSeq = lastSeq;
        return true;
    }

    /// <summary>The venue replayed [from, to]: closes the gaps inside it, recovered iff nothing is still missing.</summary>
    public void ReplayDone(long fromSeq, long toSeq, List<GapResolution> resolved) => Close(fromSeq, toSeq, recoveredIfComplete: true, resolved);

    /// <summary>The venue no longer holds [from, to]: those gaps are not recovered.</summary>
    public void ReplayUnavailable(long fromSeq, long toSeq, List<GapResolution> resolved) => Close(fromSeq, toSeq, recoveredIfComplete: false, resolved);

    /// <summary>A snapshot resynced the book up to <paramref name="lastSeq"/>: every open gap ends not recovered.</summary>
    public void Resynced(long lastSeq, List<GapResolution> resolved)
    {
        Close(long.MinValue, long.MaxValue, recoveredIfComplete: false, resolved);
        LastSeq = Math.Max(LastSeq, lastSeq);
    }

    /// <summary>Whether an open gap has waited for its replay since before <paramref name="timestamp"/>.</summary>
    public bool HasGapOpenedBefore(long timestamp)
    {
        foreach (var gap in open)
        {
            if (gap.Started < timestamp)
            {
                return true;
            }
        }

        return false;
    }

    private void Open(long from, long to, long now)
    {
        LastGapFrom = from;
        LastGapTo = to;
        open.Add(new OpenGap(from, to, now));
    }

    private bool Fill(long seq)
    {
        foreach (var gap in open)
        {
            if (seq >= gap.From && seq <= gap.To)
            {
                return gap.Fill(seq);
            }
        }

        return false;
    }

    private void Close(long from, long to, bool recoveredIfComplete, List<GapResolution> resolved)
    {
        for (var i = open.Count - 1; i >= 0; i--)
        {
            var gap = open[i];
            if (gap.From >= from && gap.To <= to)
            {
                resolved.Add(new GapResolution(gap.From, gap.To, gap.Size, recoveredIfComplete && gap.Missing == 0, gap.Started));
                open.RemoveAt(i);
            }
        }
    }

    private sealed class OpenGap(long from, long to, long started)
    {
        // Large gaps are not tracked per number (they are resynced by snapshot): every number stays missing.
        private readonly bool[]? arrived = to - from + 1 <= MaxTrackedGap ? new bool[to - from + 1] : null;

        public long From { get; } = from;
        public long To { get; } = to;
        public long Started { get; } = started;
        public long Size => To - From + 1;
        public long Missing { get; private set; } = to - from + 1;

        public bool Fill(long seq)
        {
            if (arrived is null || arrived[seq - From])
            {
                return false;
            }

            arrived[seq - From] = true;
            Missing--;
            return true;
        }
    }
}
