using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>
/// <c>marketdata.health</c> → the <c>feed_health</c> table. A report that cannot be a venue's interval (no venue, an
/// interval that ends before it starts, a state that is none of up/degraded/down) is poison: dead-lettered at once.
/// </summary>
public sealed class FeedHealthHandler(IFeedHealthStore store) : IStreamHandler<FeedHealthReport>
{
    public Task HandleAsync(StreamMessage<FeedHealthReport> message, CancellationToken cancellationToken)
    {
        var report = message.Body;
        if (string.IsNullOrWhiteSpace(report.Venue) || report.IntervalEnd < report.IntervalStart ||
            report.State is not (FeedStates.Up or FeedStates.Degraded or FeedStates.Down))
        {
            throw new PermanentMessageException("invalid_feed_health_report",
                $"Not a feed-health report: venue '{report.Venue}', interval {report.IntervalStart:o}–{report.IntervalEnd:o}, state '{report.State}'.");
        }

        return store.SaveAsync(report, cancellationToken);
    }
}
