using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>Which failures mean "Redis is away for now" rather than "this message is bad".</summary>
public static class RedisFaults
{
    private static readonly string[] TransientServerErrors = ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "NOREPLICAS"];

    /// <summary>
    /// True for a lost or refused connection, a timeout (StackExchange.Redis's own or a
    /// <c>WaitAsync</c> deadline), and server replies that only say "not now" (e.g. <c>-LOADING</c>
    /// while Redis reads its AOF after a restart). Such a failure is retried, never counted
    /// against a message's delivery budget.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => TransientServerErrors.Any(code => server.Message.StartsWith(code, StringComparison.Ordinal)),
        ObjectDisposedException disposed => disposed.ObjectName?.Contains("Multiplexer", StringComparison.Ordinal) == true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        // When StackExchange.Redis tears down a dead socket, a read in flight can surface as the pipe's own
        // InvalidOperationException ("Reading is not allowed after reader was completed") instead of a
        // RedisConnectionException: still the connection dying, not the message.
        InvalidOperationException when exception.StackTrace?.Contains("StackExchange.Redis.PhysicalConnection", StringComparison.Ordinal) == true => true,
        _ => exception.InnerException is { } inner && inner is RedisException or TimeoutException && IsUnavailable(inner),
    };
}
