using System.Diagnostics;
using StackExchange.Redis;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>
/// A stream entry about to be added, inside its <c>send &lt;stream&gt;</c> producer span: the
/// payload, its type and the W3C trace context and baggage as fields. For a caller that adds the
/// entry itself, in the same Lua script or transaction as other writes (so that the state change
/// and the message happen together or not at all): pass <see cref="FieldArguments"/> to
/// <c>XADD</c>, then report <see cref="Sent"/> or <see cref="Failed"/>; dispose to end the span.
/// </summary>
public sealed class OutgoingEntry : IDisposable
{
    private readonly Activity? span;
    private bool reported;

    internal OutgoingEntry(string stream, Activity? span, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        Stream = stream;
        this.span = span;
        Fields = fields;
    }

    public string Stream { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>The fields as XADD arguments: name, value, name, value, …</summary>
    public RedisValue[] FieldArguments()
    {
        var args = new RedisValue[Fields.Count * 2];
        for (var i = 0; i < Fields.Count; i++)
        {
            args[2 * i] = Fields[i].Key;
            args[(2 * i) + 1] = Fields[i].Value;
        }

        return args;
    }

    public NameValueEntry[] Entries()
    {
        var entries = new NameValueEntry[Fields.Count];
        for (var i = 0; i < Fields.Count; i++)
        {
            entries[i] = new NameValueEntry(Fields[i].Key, Fields[i].Value);
        }

        return entries;
    }

    /// <summary>The entry is on the stream with id <paramref name="entryId"/>.</summary>
    public void Sent(string entryId)
    {
        reported = true;
        span?.SetTag(SemanticAttributes.MessagingMessageId, entryId);
        MessagingTelemetry.SentMessages.Add(1, MessagingTelemetry.SystemTag, MessagingTelemetry.Destination(Stream));
    }

    /// <summary>The entry was not added (<paramref name="why"/> is the reason, also the span's error).</summary>
    public void NotSent(string errorType, string why)
    {
        reported = true;
        span.RecordError(errorType, why);
    }

    /// <summary>Adding the entry failed, or it is not known whether it was added.</summary>
    public void Failed(Exception ex)
    {
        reported = true;
        span.RecordError(ex.GetType().Name, $"XADD to {Stream} failed: {ex.Message}", ex);
        MessagingTelemetry.SentMessages.Add(1, MessagingTelemetry.SystemTag, MessagingTelemetry.Destination(Stream),
            new(SemanticAttributes.ErrorType, ex.GetType().Name));
    }

    public void Dispose()
    {
        if (!reported)
        {
            span?.SetTag("messaging.redis.outcome", "abandoned");
        }

        span?.Dispose();
    }
}
