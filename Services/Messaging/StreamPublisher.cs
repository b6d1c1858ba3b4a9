using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>Publishes messages to Redis streams.</summary>
public interface IStreamPublisher
{
    /// <summary>
    /// XADDs <paramref name="message"/> as JSON with the W3C trace context and baggage as entry
    /// fields, inside a <c>send &lt;stream&gt;</c> producer span. Returns the entry id.
    /// </summary>
    Task<string> PublishAsync<T>(string stream, T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts the <c>send &lt;stream&gt;</c> span and builds the entry's fields, for a caller that
    /// adds the entry itself inside a script or transaction together with other writes.
    /// </summary>
    OutgoingEntry Prepare<T>(string stream, T message);
}

internal sealed class StreamPublisher(IConnectionMultiplexer redis, MessagingOptions options) : IStreamPublisher
{
    public async Task<string> PublishAsync<T>(string stream, T message, CancellationToken cancellationToken = default)
    {
        using var entry = Prepare(stream, message);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = (await redis.GetDatabase().StreamAddAsync(stream, entry.Entries())).ToString();
            entry.Sent(id);
            return id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            entry.Failed(ex);
            throw;
        }
    }

    public OutgoingEntry Prepare<T>(string stream, T message)
    {
        var names = StreamNames.Of(stream);
        var activity = MessagingTelemetry.Source.StartActivity(names.SendSpanName, ActivityKind.Producer);
        activity?.SetTag(SemanticAttributes.MessagingSystem, MessagingTelemetry.System);
        activity?.SetTag(SemanticAttributes.MessagingDestinationName, stream);
        names.SetOn(activity);
        activity?.SetTag(SemanticAttributes.MessagingOperationType, "send");
        activity?.SetTag(SemanticAttributes.MessagingOperationName, "xadd");

        var fields = new Dictionary<string, string>(5)
        {
            [StreamFields.Payload] = JsonSerializer.Serialize(message, options.Json),
            [StreamFields.Type] = typeof(T).Name,
        };
        TraceContextCarrier.Inject(TraceContextCarrier.ContextToPropagate(activity), Baggage.Current, fields);
        return new OutgoingEntry(stream, activity, fields.ToList());
    }
}
