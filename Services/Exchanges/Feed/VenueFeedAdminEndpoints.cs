using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// Admin-only feed faults under <c>/admin/venues/{venue}/feed</c>: set/clear a fault, disconnect every
/// connection, drop the next N messages, send malformed frames, and see the connections.
/// </summary>
public static partial class VenueFeedAdminEndpoints
{
    public static RouteGroupBuilder MapVenueFeedAdminEndpoints(this RouteGroupBuilder adminVenues)
    {
        var feed = adminVenues.MapGroup("/{venue}/feed");
        feed.MapGet("/", Status);
        feed.MapPut("/fault", SetFault);
        feed.MapDelete("/fault", ClearFault);
        feed.MapPost("/disconnect", Disconnect);
        feed.MapPost("/drop", Drop);
        feed.MapPost("/malformed", Malformed);
        return feed;
    }

    private static Results<Ok<VenueFeedStatus>, ProblemHttpResult> Status(string venue, VenueFeeds feeds, FeedFaults faults)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        var (fault, source) = faults.Describe(feed.Name);
        var connections = feed.Sessions
            .Select(s => new FeedConnectionInfo(s.Id, s.LoggedIn, s.LastSeq, s.SubscribedSymbols, s.Queued, s.Closing))
            .ToList();
        return TypedResults.Ok(new VenueFeedStatus(feed.Name, fault, source, connections));
    }

    private static Results<Ok<VenueFeedFault>, ValidationProblem, ProblemHttpResult> SetFault(string venue, VenueFeedFault fault, VenueFeeds feeds, FeedFaults faults, ILogger<FeedFaults> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        var errors = new Dictionary<string, string[]>();
        Check(errors, "delayMs", fault.DelayMs is >= 0 and <= 60_000, "between 0 and 60000");
        Check(errors, "jitterMs", fault.JitterMs is >= 0 and <= 60_000, "between 0 and 60000");
        Check(errors, "dropProbability", fault.DropProbability is >= 0 and <= 1, "between 0 and 1");
        Check(errors, "messagesPerSecond", fault.MessagesPerSecond is null or (>= 0 and <= 1_000_000), "between 0 and 1000000, or absent");
        Check(errors, "sendBufferMessages", fault.SendBufferMessages is null or (>= 1 and <= 1_000_000), "between 1 and 1000000, or absent");
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid feed fault");
        }

        faults.Set(feed.Name, fault);
        LogFaultSet(logger, feed.Name, fault.ToString());
        return TypedResults.Ok(fault);
    }

    private static Results<NoContent, NotFound, ProblemHttpResult> ClearFault(string venue, VenueFeeds feeds, FeedFaults faults, ILogger<FeedFaults> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        LogFaultCleared(logger, feed.Name);
        return faults.Clear(feed.Name) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static Results<Ok<FeedActionResult>, ProblemHttpResult> Disconnect(string venue, VenueFeeds feeds, ILogger<FeedFaults> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        var count = feed.AbortAll();
        LogDisconnected(logger, feed.Name, count);
        return TypedResults.Ok(new FeedActionResult(feed.Name, count));
    }

    private static Results<Ok<FeedActionResult>, ValidationProblem, ProblemHttpResult> Drop(string venue, FeedDropRequest request, VenueFeeds feeds, ILogger<FeedFaults> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        if (request.Count is < 1 or > 1_000_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["between 1 and 1000000"] }, title: "Invalid drop");
        }

        var sessions = feed.Sessions;
        foreach (var session in sessions)
        {
            session.Drop(request.Count);
        }

        LogDropped(logger, feed.Name, request.Count, sessions.Length);
        return TypedResults.Ok(new FeedActionResult(feed.Name, sessions.Length));
    }

    private static Results<Ok<FeedActionResult>, ValidationProblem, ProblemHttpResult> Malformed(string venue, FeedMalformedRequest request, VenueFeeds feeds, ILogger<FeedFaults> logger)
    {
        if (feeds.For(venue) is not { } feed)
        {
            return UnknownVenue(venue);
        }

        var errors = new Dictionary<string, string[]>();
        Check(errors, "kind", request.Kind is not null && VenueFeedAdmin.MalformedKinds.All.Contains(request.Kind), "one of " + string.Join(", ", VenueFeedAdmin.MalformedKinds.All));
        Check(errors, "count", request.Count is >= 1 and <= 1000, "between 1 and 1000");
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid malformed-frame request");
        }

        var sessions = feed.Sessions;
        foreach (var session in sessions)
        {
            session.InjectMalformed(request.Kind!, request.Count);
        }

        LogMalformed(logger, feed.Name, request.Kind!, request.Count, sessions.Length);
        return TypedResults.Ok(new FeedActionResult(feed.Name, sessions.Length));
    }

    private static void Check(Dictionary<string, string[]> errors, string field, bool valid, string rule)
    {
        if (!valid)
        {
            errors[field] = [$"{field} must be {rule}."];
        }
    }

    private static ProblemHttpResult UnknownVenue(string venue) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No venue named '{venue}'.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed fault injected into {Venue}: {Fault}")]
    private static partial void LogFaultSet(ILogger logger, string venue, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed fault cleared from {Venue}")]
    private static partial void LogFaultCleared(ILogger logger, string venue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed of {Venue}: {Count} connections aborted")]
    private static partial void LogDisconnected(ILogger logger, string venue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed of {Venue}: the next {Count} messages dropped on {Connections} connections")]
    private static partial void LogDropped(ILogger logger, string venue, int count, int connections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed of {Venue}: {Count} malformed frames of kind {Kind} on {Connections} connections")]
    private static partial void LogMalformed(ILogger logger, string venue, string kind, int count, int connections);
}
