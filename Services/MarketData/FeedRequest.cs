namespace TradingAspire.MarketData;

/// <summary>What the session asks the venue for after a frame: nothing, a replay of [From, To], or a snapshot.</summary>
public readonly record struct FeedRequest(FeedRequestKind Kind, long FromSeq = 0, long ToSeq = 0)
{
    public static readonly FeedRequest None = new(FeedRequestKind.None);
    public static readonly FeedRequest Snapshot = new(FeedRequestKind.Snapshot);
    public static FeedRequest Replay(long from, long to) => new(FeedRequestKind.Replay, from, to);
}

public enum FeedRequestKind : byte { None, Replay, Snapshot }
