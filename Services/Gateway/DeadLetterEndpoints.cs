using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.Gateway;

/// <summary>Admin-only: list dead letters of the order streams and replay one after a fix.</summary>
public static class DeadLetterEndpoints
{
    private static readonly string[] OrderStreams = [Streams.OrdersNew, Streams.OrdersApproved, Streams.OrdersRejected, Streams.OrdersFilled];

    /// <summary>Every partition of every order stream (<c>orders.new{p0}</c>, …).</summary>
    private static string[] SourceStreams(StreamPartitions partitions) => OrderStreams.SelectMany(partitions.AllStreams).ToArray();

    public static RouteGroupBuilder MapDeadLetterEndpoints(this RouteGroupBuilder admin)
    {
        var dead = admin.MapGroup("/dead-letters");

        dead.MapGet("/", async (DeadLetterAdmin letters, StreamPartitions partitions) =>
            TypedResults.Ok((await letters.StreamsAsync(SourceStreams(partitions))).Select(s => new { stream = s.Stream, length = s.Length })));

        dead.MapGet("/{stream}", async Task<Results<Ok<IReadOnlyList<DeadLetterView>>, ProblemHttpResult>> (string stream, int? count, DeadLetterAdmin letters, StreamPartitions partitions) =>
            IsDeadLetterStream(stream, partitions)
                ? TypedResults.Ok(await letters.ListAsync(stream, count ?? 100))
                : UnknownStream(stream, partitions));

        dead.MapPost("/{stream}/{id}/replay", async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> (string stream, string id, DeadLetterAdmin letters, StreamPartitions partitions, ILogger<DeadLetterAdmin> logger) =>
        {
            if (!IsDeadLetterStream(stream, partitions))
            {
                return UnknownStream(stream, partitions);
            }

            var replayed = await letters.ReplayAsync(stream, id);
            if (replayed is not { } r)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead letter", detail: $"{stream} has no entry {id}.");
            }

            DeadLetterLog.Replayed(logger, stream, id, r.Replayed.SourceStream, r.NewId, r.Replayed.TraceId);
            return TypedResults.Ok(new ReplayResult(r.Replayed.SourceStream, r.NewId, r.Replayed.TraceId));
        });

        return dead;
    }

    public sealed record ReplayResult(string Stream, string EntryId, string TraceId);

    private static bool IsDeadLetterStream(string stream, StreamPartitions partitions) =>
        SourceStreams(partitions).Any(s => StreamFields.DeadLetterStream(s) == stream);

    private static ProblemHttpResult UnknownStream(string stream, StreamPartitions partitions) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown dead-letter stream",
            detail: $"'{stream}' is not one of {string.Join(", ", SourceStreams(partitions).Select(StreamFields.DeadLetterStream))}.");
}

internal static partial class DeadLetterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed dead letter {DeadStream}/{DeadId} onto {Stream} as {EntryId} (trace {TraceId})")]
    public static partial void Replayed(ILogger logger, string deadStream, string deadId, string stream, string entryId, string traceId);
}
