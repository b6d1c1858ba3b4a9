namespace TradingAspire.MarketData;

/// <summary>Message types a venue sends (the <c>type</c> field).</summary>
public enum FeedMessageType : byte
{
    None,
    LoginOk,
    LoginRefused,
    Subscribed,
    Unsubscribed,
    Error,
    Quote,
    Trade,
    Heartbeat,
    ReplayDone,
    ReplayUnavailable,
    Snapshot,
}

/// <summary>Why a frame was not used (the <c>kind</c> tag of <c>trading.marketdata.malformed_frames</c>).</summary>
public enum MalformedKind : byte
{
    None,
    InvalidJson,
    UnknownType,
    MissingField,
    UnknownSymbol,
    Huge,
    FutureTimestamp,
    BinaryFrame,
}

public static class MalformedKinds
{
    public static string TagValue(this MalformedKind kind) => kind switch
    {
        MalformedKind.InvalidJson => "invalid_json",
        MalformedKind.UnknownType => "unknown_type",
        MalformedKind.MissingField => "missing_field",
        MalformedKind.UnknownSymbol => "unknown_symbol",
        MalformedKind.Huge => "huge",
        MalformedKind.FutureTimestamp => "future_timestamp",
        MalformedKind.BinaryFrame => "binary_frame",
        _ => "none",
    };

    public static readonly MalformedKind[] All =
        [MalformedKind.InvalidJson, MalformedKind.UnknownType, MalformedKind.MissingField, MalformedKind.UnknownSymbol,
         MalformedKind.Huge, MalformedKind.FutureTimestamp, MalformedKind.BinaryFrame];
}

/// <summary>
/// One parsed venue frame, reused for every message of a connection (no allocation per quote or trade).
/// Numbers absent from the frame are left at their "missing" values; strings are read only for the rare
/// session messages (login, errors).
/// </summary>
public sealed class FeedFrame
{
    public FeedMessageType Type;
    public long Seq;
    public long LastSeq;
    public long FromSeq;
    public long ToSeq;
    public long OldestSeq;
    /// <summary>Index of the symbol in the connection's <see cref="SymbolTable"/>; −1 when unknown.</summary>
    public int SymbolIndex;
    public decimal Bid;
    public decimal Ask;
    public decimal BidSize;
    public decimal AskSize;
    public decimal Price;
    public decimal Size;
    public long Timestamp;
    public bool Replay;
    public string? Reason;
    public string? SessionId;
    public int HeartbeatMs;

    /// <summary>The quotes of a <c>snapshot</c> (reused list).</summary>
    public readonly List<SnapshotQuote> Quotes = [];

    internal FieldSet Present;

    public bool IsSequenced => Type is FeedMessageType.Quote or FeedMessageType.Trade;

    internal void Reset()
    {
        Type = FeedMessageType.None;
        Seq = LastSeq = FromSeq = ToSeq = OldestSeq = Timestamp = 0;
        SymbolIndex = -1;
        Bid = Ask = BidSize = AskSize = Price = Size = 0;
        Replay = false;
        Reason = SessionId = null;
        HeartbeatMs = 0;
        Quotes.Clear();
        Present = FieldSet.None;
    }

    [Flags]
    internal enum FieldSet
    {
        None = 0,
        Seq = 1,
        LastSeq = 2,
        FromSeq = 4,
        ToSeq = 8,
        Symbol = 16,
        Bid = 32,
        Ask = 64,
        Price = 128,
        Timestamp = 256,
        Quotes = 512,
    }
}

/// <summary>One quote of a snapshot.</summary>
public readonly record struct SnapshotQuote(int SymbolIndex, decimal Bid, decimal Ask, decimal BidSize, decimal AskSize, long Timestamp);
