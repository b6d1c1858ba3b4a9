namespace TradingAspire.Messaging;

/// <summary>Who consumes: the stream, the consumer group (one per service) and this process's consumer name in it.</summary>
internal sealed record ConsumerIdentity(string Stream, string Group, string Consumer)
{
    public KeyValuePair<string, object?> StreamTag => MessagingTelemetry.Destination(Stream);
    public KeyValuePair<string, object?> GroupTag => MessagingTelemetry.Group(Group);
}
