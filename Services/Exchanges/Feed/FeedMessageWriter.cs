using System.Text.Json;
using TradingAspire.Contracts;
using F = TradingAspire.Contracts.VenueFeedProtocol.Fields;
using T = TradingAspire.Contracts.VenueFeedProtocol.Types;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// Writes the venue's messages (README "Venue feed protocol") with a <see cref="Utf8JsonWriter"/>:
/// pre-encoded names, numbers formatted in place, nothing allocated per message.
/// </summary>
internal static class FeedMessageWriter
{
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode(F.Type);
    private static readonly JsonEncodedText Seq = JsonEncodedText.Encode(F.Seq);
    private static readonly JsonEncodedText Symbol = JsonEncodedText.Encode(F.Symbol);
    private static readonly JsonEncodedText Symbols = JsonEncodedText.Encode(F.Symbols);
    private static readonly JsonEncodedText Bid = JsonEncodedText.Encode(F.Bid);
    private static readonly JsonEncodedText Ask = JsonEncodedText.Encode(F.Ask);
    private static readonly JsonEncodedText BidSize = JsonEncodedText.Encode(F.BidSize);
    private static readonly JsonEncodedText AskSize = JsonEncodedText.Encode(F.AskSize);
    private static readonly JsonEncodedText Price = JsonEncodedText.Encode(F.Price);
    private static readonly JsonEncodedText Size = JsonEncodedText.Encode(F.Size);
    private static readonly JsonEncodedText Side = JsonEncodedText.Encode(F.Side);
    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode(F.Timestamp);
    private static readonly JsonEncodedText LastSeq = JsonEncodedText.Encode(F.LastSeq);
    private static readonly JsonEncodedText FromSeq = JsonEncodedText.Encode(F.FromSeq);
    private static readonly JsonEncodedText ToSeq = JsonEncodedText.Encode(F.ToSeq);
    private static readonly JsonEncodedText OldestSeq = JsonEncodedText.Encode(F.OldestSeq);
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode(F.Reason);
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode(F.Detail);
    private static readonly JsonEncodedText Venue = JsonEncodedText.Encode(F.Venue);
    private static readonly JsonEncodedText SessionId = JsonEncodedText.Encode(F.SessionId);
    private static readonly JsonEncodedText HeartbeatMs = JsonEncodedText.Encode(F.HeartbeatMs);
    private static readonly JsonEncodedText Quotes = JsonEncodedText.Encode(F.Quotes);
    private static readonly JsonEncodedText QuoteType = JsonEncodedText.Encode(T.Quote);
    private static readonly JsonEncodedText TradeType = JsonEncodedText.Encode(T.Trade);
    private static readonly JsonEncodedText HeartbeatType = JsonEncodedText.Encode(T.Heartbeat);
    private static readonly JsonEncodedText Buy = JsonEncodedText.Encode("buy");
    private static readonly JsonEncodedText Sell = JsonEncodedText.Encode("sell");

    /// <summary>The bytes appended to a replayed message in place of its closing brace.</summary>
    public static ReadOnlySpan<byte> ReplayTail => ",\"replay\":true}"u8;

    public static void Quote(Utf8JsonWriter w, long seq, in FeedQuote quote, long ts)
    {
        w.WriteStartObject();
        w.WriteString(Type, QuoteType);
        w.WriteNumber(Seq, seq);
        QuoteFields(w, quote, ts);
        w.WriteEndObject();
    }

    public static void Trade(Utf8JsonWriter w, long seq, in FeedQuote quote, bool buy, double size, long ts)
    {
        w.WriteStartObject();
        w.WriteString(Type, TradeType);
        w.WriteNumber(Seq, seq);
        w.WriteString(Symbol, quote.Symbol);
        w.WriteNumber(Price, buy ? quote.Ask : quote.Bid);
        w.WriteNumber(Size, size);
        w.WriteString(Side, buy ? Buy : Sell);
        w.WriteNumber(Ts, ts);
        w.WriteEndObject();
    }

    public static void Heartbeat(Utf8JsonWriter w, long lastSeq, long ts)
    {
        w.WriteStartObject();
        w.WriteString(Type, HeartbeatType);
        w.WriteNumber(LastSeq, lastSeq);
        w.WriteNumber(Ts, ts);
        w.WriteEndObject();
    }

    public static void LoginOk(Utf8JsonWriter w, string venue, string sessionId, int heartbeatMs)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.LoginOk);
        w.WriteString(Venue, venue);
        w.WriteString(SessionId, sessionId);
        w.WriteNumber(HeartbeatMs, heartbeatMs);
        w.WriteEndObject();
    }

    public static void LoginRefused(Utf8JsonWriter w, string reason)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.LoginRefused);
        w.WriteString(Reason, reason);
        w.WriteEndObject();
    }

    public static void Error(Utf8JsonWriter w, string reason, string detail)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.Error);
        w.WriteString(Reason, reason);
        w.WriteString(Detail, detail);
        w.WriteEndObject();
    }

    public static void SymbolsAck(Utf8JsonWriter w, string type, IEnumerable<string> symbols)
    {
        w.WriteStartObject();
        w.WriteString(Type, type);
        w.WriteStartArray(Symbols);
        foreach (var symbol in symbols)
        {
            w.WriteStringValue(symbol);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void ReplayDone(Utf8JsonWriter w, long fromSeq, long toSeq)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.ReplayDone);
        w.WriteNumber(FromSeq, fromSeq);
        w.WriteNumber(ToSeq, toSeq);
        w.WriteEndObject();
    }

    public static void ReplayUnavailable(Utf8JsonWriter w, long fromSeq, long toSeq, long oldestSeq)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.ReplayUnavailable);
        w.WriteNumber(FromSeq, fromSeq);
        w.WriteNumber(ToSeq, toSeq);
        w.WriteNumber(OldestSeq, oldestSeq);
        w.WriteEndObject();
    }

    public static void Snapshot(Utf8JsonWriter w, long lastSeq, long ts, IReadOnlyList<FeedQuote> quotes)
    {
        w.WriteStartObject();
        w.WriteString(Type, T.Snapshot);
        w.WriteNumber(LastSeq, lastSeq);
        w.WriteNumber(Ts, ts);
        w.WriteStartArray(Quotes);
        foreach (var quote in quotes)
        {
            w.WriteStartObject();
            QuoteFields(w, quote, ts);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A quote with a seq lower than the last one sent (fault <c>seq_backwards</c>).</summary>
    public static void BackwardsQuote(Utf8JsonWriter w, long seq, in FeedQuote quote, long ts) => Quote(w, seq, quote, ts);

    /// <summary>A JSON object of a type the protocol does not have (fault <c>unknown_type</c>).</summary>
    public static void UnknownType(Utf8JsonWriter w, long ts)
    {
        w.WriteStartObject();
        w.WriteString(Type, "venue_gossip");
        w.WriteNumber(Ts, ts);
        w.WriteEndObject();
    }

    /// <summary>A quote-typed frame without seq padded to <see cref="HugeFrameBytes"/> (fault <c>huge</c>), written into <paramref name="buffer"/>.</summary>
    public static int Huge(Span<byte> buffer)
    {
        var head = "{\"type\":\"quote\",\"padding\":\""u8;
        var tail = "\"}"u8;
        head.CopyTo(buffer);
        buffer[head.Length..(HugeFrameBytes - tail.Length)].Fill((byte)'x');
        tail.CopyTo(buffer[(HugeFrameBytes - tail.Length)..]);
        return HugeFrameBytes;
    }

    public const int HugeFrameBytes = 1 << 20;

    /// <summary>Not JSON at all (fault <c>invalid_json</c>).</summary>
    public static ReadOnlySpan<byte> InvalidJson => "{\"type\":\"quote\",\"seq\":"u8;

    private static void QuoteFields(Utf8JsonWriter w, in FeedQuote quote, long ts)
    {
        w.WriteString(Symbol, quote.Symbol);
        w.WriteNumber(Bid, quote.Bid);
        w.WriteNumber(Ask, quote.Ask);
        w.WriteNumber(BidSize, quote.BidSize);
        w.WriteNumber(AskSize, quote.AskSize);
        w.WriteNumber(Ts, ts);
    }

    /// <summary>Microseconds since the Unix epoch now (the unit of <c>ts</c>), without allocating.</summary>
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}

/// <summary>One symbol's top of book as the feed sends it: the venue's own prices, random sizes.</summary>
internal readonly record struct FeedQuote(JsonEncodedText Symbol, decimal Bid, decimal Ask, double BidSize, double AskSize);
