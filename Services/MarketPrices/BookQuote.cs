using System.Diagnostics;
using System.Text.Json.Serialization;
using TradingAspire.Contracts;

namespace TradingAspire.MarketPrices;

/// <summary>
/// One venue's top of book for one symbol as the marketdata service received it from the venue's feed.
/// <see cref="VenueMicros"/> is the venue's send timestamp, <see cref="ReceivedMicros"/> when marketdata
/// read it (both µs since the Unix epoch). <see cref="Stale"/> is set by marketdata when the venue's
/// feed is down or the symbol had no update for its <c>StaleAfter</c>. <see cref="Seq"/> is the venue feed's
/// sequence number of the message that carried the quote (null when unknown, e.g. a snapshot's quote).
/// <see cref="TraceParent"/> is the W3C <c>traceparent</c> of the marketdata span that carried the quote: its sampled
/// <c>marketdata.message</c> span when that message was sampled, else its connection's <c>marketdata.session</c> span
/// (null when the feed is not traced; left out of the JSON then, so the wire format is unchanged).
/// </summary>
public sealed record BookQuote(
    string Venue,
    string Symbol,
    decimal Bid,
    decimal Ask,
    decimal BidSize,
    decimal AskSize,
    long VenueMicros,
    long ReceivedMicros,
    bool Stale,
    long? Seq = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null)
{
    /// <summary>How old the price is at <paramref name="now"/>: since the venue sent it.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => now - VenueFeedProtocol.FromMicros(VenueMicros);

    public decimal Mid => (Bid + Ask) / 2;

    /// <summary>The context of the marketdata span that carried the quote, when it has a valid <see cref="TraceParent"/>.</summary>
    public bool TryGetMarketDataContext(out ActivityContext context) =>
        ActivityContext.TryParse(TraceParent, null, isRemote: true, out context);
}

/// <summary>
/// Where the marketdata service publishes the consolidated book in Redis: the hash <see cref="HashKey"/>
/// (field <c>venue|symbol</c>, value a <see cref="BookQuote"/> as JSON) always holds the latest quote of
/// every venue and symbol; every <c>MarketData:PublishInterval</c> the quotes that changed are published
/// as one JSON array of <see cref="BookQuote"/> on the channel <see cref="UpdatesChannel"/>. A reader loads
/// the hash, then follows the channel (and reloads the hash whenever its subscription was interrupted).
/// </summary>
public static class BookKeys
{
    public const string HashKey = "marketdata:book";
    public const string UpdatesChannel = "marketdata:book:updates";

    public static string Field(string venue, string symbol) => $"{venue}|{symbol}";
}
