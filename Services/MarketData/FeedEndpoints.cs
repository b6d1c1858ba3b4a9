using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;

namespace TradingAspire.MarketData;

/// <summary>One venue feed as <c>GET /feeds</c> shows it.</summary>
public sealed record FeedView(
    string Venue,
    string State,
    string? SessionId,
    string? SessionTraceId,
    IReadOnlyList<string> Symbols,
    int StaleSymbols,
    double ConnectedSeconds,
    string? LastDisconnectReason,
    DateTimeOffset? LastGapAt,
    FeedCountersView Counters);

/// <summary>A feed's totals since the service started.</summary>
public sealed record FeedCountersView(
    long Messages, long Quotes, long Trades, long Heartbeats, long Gaps, long GapMessages, long GapsRecovered, long GapsNotRecovered,
    long Disconnects, long Reconnects, long OutOfOrder, long Duplicates, long CrossedQuotes, IReadOnlyDictionary<string, long> MalformedFrames);

/// <summary>Every feed's state in one line each, for the AppHost's resource health check.</summary>
public sealed record FeedsHealthView(string Status, IReadOnlyDictionary<string, string> Venues);

public static class FeedEndpoints
{
    public static RouteGroupBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/feeds").WithTags("Feeds");
        feeds.MapGet("/", (FeedRegistry registry, IOptions<MarketDataOptions> options) =>
                TypedResults.Ok(registry.All.Select(f => View(f, options.Value)).ToList()))
            .WithSummary("Every venue feed: state, current session id and trace id, counters since start.");
        feeds.MapGet("/health", Health)
            .WithSummary("Each venue feed's state (up, degraded, down) and the worst of them; 200 unless a feed is down (503).");
        feeds.MapGet("/{venue}", Results<Ok<FeedView>, ProblemHttpResult> (string venue, FeedRegistry registry, IOptions<MarketDataOptions> options) =>
                registry.Find(venue) is { } feed ? TypedResults.Ok(View(feed, options.Value)) : UnknownVenue(venue))
            .WithSummary("One venue feed.");
        feeds.MapGet("/{venue}/book", Results<Ok<IReadOnlyList<BookQuote>>, ProblemHttpResult> (string venue, FeedRegistry registry, IOptions<MarketDataOptions> options) =>
                registry.Find(venue) is { } feed
                    ? TypedResults.Ok(feed.Book.Snapshot(!feed.Subscribed, VenueFeedProtocol.ToMicros(DateTimeOffset.UtcNow - options.Value.StaleAfter)))
                    : UnknownVenue(venue))
            .WithSummary("One venue's latest quote per symbol, as this instance holds it.");
        feeds.MapGet("/{venue}/latency", Results<Ok<FeedLatencyView>, ProblemHttpResult> (string venue, FeedRegistry registry) =>
                registry.Find(venue) is { } feed ? TypedResults.Ok(FeedLatencyView.From(feed.Venue, feed.Latency.SinceStart())) : UnknownVenue(venue))
            .WithSummary("One venue feed's latency (receive time − venue timestamp) since start: p50/p99/p99.9/max and the histogram's buckets [µs, count].");
        return feeds;
    }

    private static Results<Ok<FeedsHealthView>, JsonHttpResult<FeedsHealthView>> Health(FeedRegistry registry, IOptions<MarketDataOptions> options)
    {
        var venues = registry.All.ToDictionary(f => f.Venue, f => f.State(options.Value.StaleAfter, options.Value.GapDegradedFor));
        var status = !registry.Discovered || venues.Values.Any(s => s == FeedStates.Down) ? FeedStates.Down
            : venues.Values.Any(s => s == FeedStates.Degraded) ? FeedStates.Degraded
            : FeedStates.Up;
        var view = new FeedsHealthView(status, venues);
        return status == FeedStates.Down ? TypedResults.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable) : TypedResults.Ok(view);
    }

    private static ProblemHttpResult UnknownVenue(string venue) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No feed for a venue named '{venue}'.");

    private static FeedView View(VenueFeed feed, MarketDataOptions options)
    {
        var c = feed.Counters;
        return new FeedView(
            feed.Venue,
            feed.State(options.StaleAfter, options.GapDegradedFor),
            feed.SessionId,
            feed.SessionTraceId,
            feed.Symbols.Symbols,
            feed.StaleSymbols(options.StaleAfter),
            Math.Round(feed.ConnectedSecondsTotal(), 3),
            feed.LastDisconnectReason,
            feed.LastGapAt,
            new FeedCountersView(c.Messages, Volatile.Read(ref c.Quotes), Volatile.Read(ref c.Trades), Volatile.Read(ref c.Heartbeats),
                Volatile.Read(ref c.Gaps), Volatile.Read(ref c.GapMessages), Volatile.Read(ref c.GapsRecovered), Volatile.Read(ref c.GapsUnrecovered),
                Volatile.Read(ref c.Disconnects), Volatile.Read(ref c.Reconnects), Volatile.Read(ref c.OutOfOrder), Volatile.Read(ref c.Duplicates),
                Volatile.Read(ref c.CrossedQuotes),
                MalformedKinds.All.ToDictionary(k => k.TagValue(), k => Volatile.Read(ref c.Malformed[(int)k]))));
    }
}
