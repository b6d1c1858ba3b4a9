using TradingAspire.MarketData;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>Gap detection and recovery on one connection's sequence numbers.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class SequenceTrackerTests
{
    private readonly SequenceTracker tracker = new();
    private readonly List<GapResolution> resolved = [];

    [Fact]
    public void Consecutive_numbers_are_in_order()
    {
        for (var seq = 1; seq <= 5; seq++)
        {
            Assert.Equal(SequenceOutcome.InOrder, tracker.OnMessage(seq, replay: false));
        }

        Assert.Equal(5, tracker.LastSeq);
        Assert.Equal(0, tracker.OpenGaps);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Skipping_N_numbers_is_a_gap_of_size_N(int dropped)
    {
        tracker.OnMessage(1, false);
        var outcome = tracker.OnMessage(2 + dropped, false);

        Assert.Equal(SequenceOutcome.Gap, outcome);
        Assert.Equal(2, tracker.LastGapFrom);
        Assert.Equal(1 + dropped, tracker.LastGapTo);
        Assert.Equal(dropped, tracker.LastGapSize);
        Assert.Equal(1, tracker.OpenGaps);
    }

    [Fact]
    public void A_gap_whose_every_message_is_replayed_is_recovered()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(5, false);
        Assert.Equal(SequenceOutcome.Filled, tracker.OnMessage(2, replay: true));
        Assert.Equal(SequenceOutcome.Filled, tracker.OnMessage(3, replay: true));
        Assert.Equal(SequenceOutcome.Filled, tracker.OnMessage(4, replay: true));

        tracker.ReplayDone(2, 4, resolved);

        var gap = Assert.Single(resolved);
        Assert.True(gap.Recovered);
        Assert.Equal(3, gap.Size);
        Assert.Equal(0, tracker.OpenGaps);
    }

    [Fact]
    public void A_gap_missing_a_message_after_the_replay_is_not_recovered()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(5, false);
        tracker.OnMessage(2, true);
        tracker.OnMessage(4, true);

        tracker.ReplayDone(2, 4, resolved);

        Assert.False(Assert.Single(resolved).Recovered);
    }

    [Fact]
    public void A_replayed_message_twice_fills_once_and_then_is_a_duplicate()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(3, false);
        Assert.Equal(SequenceOutcome.Filled, tracker.OnMessage(2, true));
        Assert.Equal(SequenceOutcome.Duplicate, tracker.OnMessage(2, true));
    }

    [Fact]
    public void A_live_number_going_backwards_is_out_of_order()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(2, false);
        tracker.OnMessage(3, false);

        Assert.Equal(SequenceOutcome.OutOfOrder, tracker.OnMessage(2, false));
        Assert.Equal(SequenceOutcome.OutOfOrder, tracker.OnMessage(3, false));
        Assert.Equal(3, tracker.LastSeq);
        Assert.Equal(SequenceOutcome.InOrder, tracker.OnMessage(4, false));
    }

    [Fact]
    public void A_heartbeat_past_the_last_message_reveals_a_tail_gap()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(2, false);

        Assert.False(tracker.OnHeartbeat(2));
        Assert.True(tracker.OnHeartbeat(6));
        Assert.Equal(3, tracker.LastGapFrom);
        Assert.Equal(6, tracker.LastGapTo);
        Assert.Equal(SequenceOutcome.InOrder, tracker.OnMessage(7, false));
    }

    [Fact]
    public void Replay_unavailable_and_a_snapshot_close_gaps_as_not_recovered()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(4, false);
        tracker.OnMessage(9, false);

        tracker.ReplayUnavailable(2, 3, resolved);
        var first = Assert.Single(resolved);
        Assert.False(first.Recovered);
        Assert.Equal(1, tracker.OpenGaps);

        resolved.Clear();
        tracker.Resynced(12, resolved);
        Assert.False(Assert.Single(resolved).Recovered);
        Assert.Equal(0, tracker.OpenGaps);
        Assert.Equal(12, tracker.LastSeq);
    }

    [Fact]
    public void A_gap_open_since_before_a_moment_is_reported_for_the_replay_timeout()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(3, false, nowTimestamp: 100);

        Assert.False(tracker.HasGapOpenedBefore(100));
        Assert.True(tracker.HasGapOpenedBefore(101));
    }

    [Fact]
    public void A_gap_too_large_to_track_is_never_recovered_by_replay()
    {
        tracker.OnMessage(1, false);
        tracker.OnMessage(SequenceTracker.MaxTrackedGap + 3, false);
        Assert.Equal(SequenceOutcome.Duplicate, tracker.OnMessage(2, true));

        tracker.ReplayDone(2, SequenceTracker.MaxTrackedGap + 2, resolved);
        Assert.False(Assert.Single(resolved).Recovered);
    }
}
