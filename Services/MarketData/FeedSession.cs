using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>
/// What one connection session does with each frame (no I/O): sequence quality, latency, the book,
/// counters, sampled message spans and gap-recovery spans. Answers what to ask the venue for (a replay of
/// a gap, a snapshot). With monitoring off it only updates the book. Each quote goes into the book with the
/// <see cref="BookQuote.TraceParent"/> of the span that carried it: the sampled message's span, else the session's
/// (formatted once, when the session starts).
/// </summary>
public sealed partial class FeedSession
{
    /// <summary>Anomaly events (gap, malformed frame) kept on one session span at most; the counters keep counting.</summary>
    public const int MaxAnomalyEvents = 200;

    private readonly VenueFeed feed;
    private readonly FeedTelemetry telemetry;
    private readonly bool monitoring;
    private readonly long futureToleranceMicros;
    private readonly long replayTimeoutTicks;
    private readonly SequenceTracker tracker = new();
    private readonly MessageSampler sampler;
    private readonly MalformedFrameLog malformedLog;
    private readonly string? sessionTraceParent;
    private readonly Dictionary<long, Activity?> gapSpans = [];
    private readonly List<GapResolution> resolved = [];
    private bool snapshotPending;
    private int anomalyEvents;

    public FeedSession(VenueFeed feed, FeedTelemetry telemetry, MarketDataOptions options, Activity? session, ILogger logger)
    {
        this.feed = feed;
        this.telemetry = telemetry;
        Span = session;
        sessionTraceParent = session is null ? null : QuoteTraceContext.Format(session.Context);
        monitoring = options.Monitoring.Enabled;
        futureToleranceMicros = (long)options.FutureTolerance.TotalMicroseconds;
        replayTimeoutTicks = (long)(options.ReplayTimeout.TotalSeconds * Stopwatch.Frequency);
        sampler = new MessageSampler(options.Tracing.MessageSampleEvery);
        malformedLog = new MalformedFrameLog(logger, feed.Venue);
    }

    /// <summary>The session's root span (null when not traced).</summary>
    public Activity? Span { get; }

    public SequenceTracker Sequence => tracker;

    /// <summary>Handles one parsed frame received at <paramref name="receivedMicros"/>.</summary>
    public FeedRequest OnFrame(FeedFrame frame, long receivedMicros)
    {
        switch (frame.Type)
        {
            case FeedMessageType.Quote:
            case FeedMessageType.Trade:
                return OnSequenced(frame, receivedMicros);
            case FeedMessageType.Heartbeat:
                feed.Counters.Heartbeats++;
                if (monitoring && tracker.OnHeartbeat(frame.LastSeq, Stopwatch.GetTimestamp()))
                {
                    return GapOpened(tracker.LastGapFrom, tracker.LastGapTo);
                }

                return CheckReplayTimeout();
            case FeedMessageType.ReplayDone:
                feed.Counters.OtherMessages++;
                tracker.ReplayDone(frame.FromSeq, frame.ToSeq, resolved);
                return ResolveGaps() ? RequestSnapshot() : FeedRequest.None;
            case FeedMessageType.ReplayUnavailable:
                feed.Counters.OtherMessages++;
                tracker.ReplayUnavailable(frame.FromSeq, frame.ToSeq, resolved);
                ResolveGaps();
                return RequestSnapshot();
            case FeedMessageType.Snapshot:
                feed.Counters.OtherMessages++;
                foreach (var quote in frame.Quotes)
                {
                    if (quote.Bid < quote.Ask)
                    {
                        feed.Book.Update(quote.SymbolIndex, quote.Bid, quote.Ask, quote.BidSize, quote.AskSize, quote.Timestamp, receivedMicros,
                            traceParent: sessionTraceParent);
                    }
                }

                snapshotPending = false;
                tracker.Resynced(frame.LastSeq, resolved);
                ResolveGaps();
                return FeedRequest.None;
            default:
                feed.Counters.OtherMessages++;
                return FeedRequest.None;
        }
    }

    /// <summary>A frame that could not be used.</summary>
    public void OnMalformed(MalformedKind kind, int bytes)
    {
        feed.Counters.Malformed[(int)kind]++;
        if (!monitoring)
        {
            return;
        }

        sampler.MalformedSeen();
        malformedLog.Seen(kind, bytes);
        if (Span is not null && anomalyEvents++ < MaxAnomalyEvents)
        {
            Span.AddEvent(new ActivityEvent(MarketDataSpans.Events.Malformed, tags: new ActivityTagsCollection
            {
                ["kind"] = kind.TagValue(),
                ["bytes"] = bytes,
            }));
        }
    }

    /// <summary>The session ends: open gaps cannot be recovered any more.</summary>
    public void End()
    {
        tracker.Resynced(tracker.LastSeq, resolved);
        ResolveGaps();
    }

    private FeedRequest OnSequenced(FeedFrame frame, long receivedMicros)
    {
        var isQuote = frame.Type == FeedMessageType.Quote;
        if (isQuote)
        {
            feed.Counters.Quotes++;
        }
        else
        {
            feed.Counters.Trades++;
        }

        if (!monitoring)
        {
            if (isQuote && frame.Bid < frame.Ask)
            {
                feed.Book.Update(frame.SymbolIndex, frame.Bid, frame.Ask, frame.BidSize, frame.AskSize, frame.Timestamp, receivedMicros, frame.Seq);
            }

            return FeedRequest.None;
        }

        var outcome = tracker.OnMessage(frame.Seq, frame.Replay, Stopwatch.GetTimestamp());
        if (outcome == SequenceOutcome.OutOfOrder)
        {
            feed.Counters.OutOfOrder++;
        }
        else if (outcome == SequenceOutcome.Duplicate)
        {
            feed.Counters.Duplicates++;
        }

        var usable = true;
        if (frame.Timestamp - receivedMicros > futureToleranceMicros)
        {
            OnMalformed(MalformedKind.FutureTimestamp, 0);
            usable = false;
        }

        var latencyMicros = FeedLatency.Micros(frame.Timestamp, receivedMicros);
        if (usable && !frame.Replay)
        {
            feed.Latency.Record(latencyMicros);
            telemetry.Latency.Record(latencyMicros / 1e6,
                new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue),
                new KeyValuePair<string, object?>(TradingAttributes.Symbol, feed.Symbols.Symbols[frame.SymbolIndex]));
        }

        var reason = sampler.Next(outcome);
        var message = reason != SampleReason.None && Span is not null ? TraceMessage(frame, reason, latencyMicros) : default;
        if (isQuote && usable)
        {
            if (frame.Bid >= frame.Ask)
            {
                feed.Counters.CrossedQuotes++;
            }
            else
            {
                // A sampled message's own span, else the session's (no allocation for the unsampled ones).
                var traceParent = QuoteTraceContext.Format(message) ?? sessionTraceParent;
                feed.Book.Update(frame.SymbolIndex, frame.Bid, frame.Ask, frame.BidSize, frame.AskSize, frame.Timestamp, receivedMicros, frame.Seq, traceParent);
            }
        }

        return outcome == SequenceOutcome.Gap ? GapOpened(tracker.LastGapFrom, tracker.LastGapTo) : CheckReplayTimeout();
    }

    /// <summary>The sampled message's span (ended at once); its context, default when none was created.</summary>
    private ActivityContext TraceMessage(FeedFrame frame, SampleReason reason, long latencyMicros)
    {
        using var span = telemetry.Source.StartActivity(MarketDataSpans.Message, ActivityKind.Consumer, Span!.Context);
        if (span is null)
        {
            return default;
        }

        span.SetTag(TradingAttributes.Venue, feed.Venue);
        span.SetTag(TradingAttributes.Symbol, feed.Symbols.Symbols[frame.SymbolIndex]);
        span.SetTag(TradingAttributes.FeedMessageType, frame.Type == FeedMessageType.Quote ? "quote" : "trade");
        span.SetTag(TradingAttributes.FeedSeq, frame.Seq);
        span.SetTag(TradingAttributes.FeedLatencyMs, latencyMicros / 1000.0);
        span.SetTag(TradingAttributes.FeedSampleReason, reason.TagValue());
        if (frame.Replay)
        {
            span.SetTag("trading.marketdata.replay", true);
        }

        return span.Context;
    }
}
