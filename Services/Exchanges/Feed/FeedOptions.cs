namespace TradingAspire.Exchanges.Feed;

/// <summary>The venues' WebSocket feed (section <c>Exchanges:Feed</c>), reloadable at run time.</summary>
public sealed class FeedOptions
{
    public const string Section = "Exchanges:Feed";

    /// <summary>Quotes and trades per second on each connection, round-robin across its subscribed symbols.</summary>
    public int MessagesPerSecond { get; set; } = 50;

    /// <summary>Share of those messages that are trades at the touch (the rest are quotes).</summary>
    public double TradeShare { get; set; } = 0.2;

    public int HeartbeatMs { get; set; } = 1000;

    /// <summary>Messages a connection may have queued; one more and it is closed as a slow consumer.</summary>
    public int SendBufferMessages { get; set; } = 8192;

    /// <summary>
    /// Benchmarks: the publisher generates only what fits in a connection's send queue, so a client that reads slower
    /// than the rate is sent as fast as it reads instead of being closed as a slow consumer. Off in production.
    /// </summary>
    public bool Backpressure { get; set; }

    /// <summary>Sequenced messages each connection keeps for <c>replay</c>.</summary>
    public int ReplayBufferMessages { get; set; } = 10_000;

    /// <summary>A client that has not logged in by then is closed (reason <c>login_timeout</c>).</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest client frame accepted; a bigger one gets an error and a close.</summary>
    public int MaxClientFrameBytes { get; set; } = 4096;

    /// <summary>The publisher's tick: each tick sends what the rate owes since the previous one.</summary>
    public int TickMs { get; set; } = 10;

    /// <summary>How long a closing connection may take to complete the close handshake before it is aborted.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(5);
}
