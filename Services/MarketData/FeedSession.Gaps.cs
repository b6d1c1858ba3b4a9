using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>A session's gap recovery: a gap opens a <c>marketdata.gap</c> span and asks for a replay (or a snapshot), which closes it.</summary>
public sealed partial class FeedSession
{
    private FeedRequest GapOpened(long from, long to)
    {
        var size = to - from + 1;
        feed.Counters.Gaps++;
        feed.Counters.GapMessages += size;
        feed.GapSeen();
        var venueTag = new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue);
        telemetry.GapSize.Record(size, venueTag);
        if (Span is not null)
        {
            if (anomalyEvents++ < MaxAnomalyEvents)
            {
                Span.AddEvent(new ActivityEvent(MarketDataSpans.Events.Gap, tags: new ActivityTagsCollection
                {
                    ["trading.marketdata.gap.from_seq"] = from,
                    ["trading.marketdata.gap.to_seq"] = to,
                    [TradingAttributes.FeedGapSize] = size,
                }));
            }

            var gap = telemetry.Source.StartActivity(MarketDataSpans.GapRecovery, ActivityKind.Internal, Span.Context);
            gap?.SetTag(TradingAttributes.Venue, feed.Venue);
            gap?.SetTag(TradingAttributes.FeedGapSize, size);
            gap?.SetTag("trading.marketdata.gap.from_seq", from);
            gap?.SetTag("trading.marketdata.gap.to_seq", to);
            gapSpans[from] = gap;
        }

        if (size > SequenceTracker.MaxTrackedGap)
        {
            gapSpans.GetValueOrDefault(from)?.AddEvent(new ActivityEvent("snapshot_requested"));
            return RequestSnapshot();
        }

        gapSpans.GetValueOrDefault(from)?.AddEvent(new ActivityEvent("replay_requested"));
        return FeedRequest.Replay(from, to);
    }

    /// <summary>Closes resolved gaps (metrics, spans); true when one was not recovered.</summary>
    private bool ResolveGaps()
    {
        var anyLost = false;
        foreach (var gap in resolved)
        {
            if (gap.Recovered)
            {
                feed.Counters.GapsRecovered++;
            }
            else
            {
                feed.Counters.GapsUnrecovered++;
                anyLost = true;
            }

            telemetry.Gaps.Add(1, new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue),
                new KeyValuePair<string, object?>(TradingAttributes.FeedGapRecovered, gap.Recovered));
            if (gapSpans.Remove(gap.FromSeq, out var span) && span is not null)
            {
                span.SetTag(TradingAttributes.FeedGapRecovered, gap.Recovered);
                if (!gap.Recovered)
                {
                    span.RecordError("gap_not_recovered", $"Messages {gap.FromSeq}–{gap.ToSeq} were lost; the book was resynced from a snapshot.");
                }

                span.Dispose();
            }
        }

        resolved.Clear();
        return anyLost;
    }

    private FeedRequest CheckReplayTimeout()
    {
        if (tracker.OpenGaps == 0 || snapshotPending || !tracker.HasGapOpenedBefore(Stopwatch.GetTimestamp() - replayTimeoutTicks))
        {
            return FeedRequest.None;
        }

        return RequestSnapshot();
    }

    private FeedRequest RequestSnapshot()
    {
        if (snapshotPending)
        {
            return FeedRequest.None;
        }

        snapshotPending = true;
        return FeedRequest.Snapshot;
    }
}
