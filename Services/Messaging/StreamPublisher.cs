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
}

internal sealed class StreamPublisher(IConnectionMultiplexer redis, MessagingOptions options) : IStreamPublisher
{
    public async Task<string> PublishAsync<T>(string stream, T message, CancellationToken cancellationToken = default)
    {
        using var activity = MessagingTelemetry.Source.StartActivity($"send {stream}", ActivityKind.Producer);
        activity?.SetTag(SemanticAttributes.MessagingSystem, MessagingTelemetry.System);
        activity?.SetTag(SemanticAttributes.MessagingDestinationName, stream);
        activity?.SetTag(SemanticAttributes.MessagingOperationType, "send");
        activity?.SetTag(SemanticAttributes.MessagingOperationName, "xadd");

        var fields = new Dictionary<string, string>(5)
        {
            [StreamFields.Payload] = JsonSerializer.Serialize(message, options.Json),
            [StreamFields.Type] = typeof(T).Name,
        };
        TraceContextCarrier.Inject(TraceContextCarrier.ContextToPropagate(activity), Baggage.Current, fields);

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = await redis.GetDatabase().StreamAddAsync(stream, fields.Select(f => new NameValueEntry(f.Key, f.Value)).ToArray());
            activity?.SetTag(SemanticAttributes.MessagingMessageId, id.ToString());
            MessagingTelemetry.SentMessages.Add(1, MessagingTelemetry.SystemTag, MessagingTelemetry.Destination(stream));
            return id.ToString();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity.RecordError(ex.GetType().Name, $"XADD to {stream} failed: {ex.Message}", ex);
            MessagingTelemetry.SentMessages.Add(1, MessagingTelemetry.SystemTag, MessagingTelemetry.Destination(stream),
                new(SemanticAttributes.ErrorType, ex.GetType().Name));
            throw;
        }
    }
}
