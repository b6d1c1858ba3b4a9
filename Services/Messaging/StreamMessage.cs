namespace TradingAspire.Messaging;

/// <summary>One delivered entry: its body and where it came from.</summary>
public sealed record StreamMessage<T>(
    T Body,
    string Stream,
    string Id,
    string Group,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt)
{
    internal DeliveryOutbox? Outbox { get; init; }

    /// <summary>
    /// Sends <paramref name="body"/> to <paramref name="stream"/> together with this entry's acknowledgement, once
    /// the handler returns: one atomic step (one round trip), so the entry is never acknowledged without what it
    /// led to, and never forwarded twice. If the handler throws, nothing it forwarded is sent.
    /// </summary>
    public void Forward<TOut>(string stream, TOut body) =>
        (Outbox ?? throw new InvalidOperationException("Forward is only available to a handler called by the stream consumer.")).Add(stream, body);
}

/// <summary>
/// Handles one entry. Outputs go through <see cref="StreamMessage{T}.Forward{TOut}"/> (sent with the
/// acknowledgement, atomically) or are published before returning: the entry is acknowledged after that.
/// </summary>
public interface IStreamHandler<T>
{
    Task HandleAsync(StreamMessage<T> message, CancellationToken cancellationToken);
}

/// <summary>A failure no retry can fix: the entry goes to the dead-letter stream at once.</summary>
public sealed class PermanentMessageException(string errorType, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>
/// The handler cannot finish yet because something it depends on is away (a venue that may have
/// executed an order and cannot be asked): the entry is retried with backoff for up to
/// <see cref="MessagingOptions.TransientRetryBudget"/> without counting toward MaxDeliveries, so an
/// outage of a few minutes never sends a good message to the dead-letter stream.
/// </summary>
public class TransientMessageException(string message, Exception? inner = null) : Exception(message, inner);
