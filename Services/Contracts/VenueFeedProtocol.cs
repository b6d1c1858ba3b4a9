namespace TradingAspire.Contracts;

/// <summary>
/// The venues' market-data feed over WebSocket (README "Venue feed protocol" is the public description).
/// <c>GET /venues/{venue}/feed</c> on the exchanges service upgrades to a WebSocket; every message is one
/// UTF-8 JSON text frame with a <c>type</c> field. Prices are JSON numbers; timestamps (<c>ts</c>) are the
/// venue's send time in microseconds since the Unix epoch.
/// <para>Client → venue: <c>login</c> {token}, <c>subscribe</c>/<c>unsubscribe</c> {symbols}, <c>replay</c>
/// {fromSeq, toSeq}, <c>snapshot</c>. Venue → client: <c>login_ok</c> {venue, sessionId, heartbeatMs},
/// <c>login_refused</c> {reason} (then the venue closes), <c>subscribed</c>/<c>unsubscribed</c> {symbols},
/// <c>error</c> {reason, detail}, sequenced <c>quote</c> {seq, symbol, bid, ask, bidSize, askSize, ts} and
/// <c>trade</c> {seq, symbol, price, size, side, ts}, <c>heartbeat</c> {lastSeq, ts}, replayed messages
/// (as first sent, plus <c>replay: true</c>) then <c>replay_done</c> {fromSeq, toSeq} or
/// <c>replay_unavailable</c> {fromSeq, toSeq, oldestSeq}, and <c>snapshot</c> {lastSeq, ts, quotes: [{symbol, bid, ask, bidSize, askSize, ts}]}.</para>
/// <para>Sequence numbers: per connection, from 1, only quotes and trades take one; a gap means messages
/// were lost and can be replayed while the venue still holds them.</para>
/// </summary>
public static class VenueFeedProtocol
{
    /// <summary>The route on the exchanges service; <c>{venue}</c> is a venue's name.</summary>
    public const string PathTemplate = "/venues/{venue}/feed";

    public static string PathFor(string venue) => $"/venues/{Uri.EscapeDataString(venue)}/feed";

    /// <summary>Field names.</summary>
    public static class Fields
    {
        public const string Type = "type";
        public const string Token = "token";
        public const string Symbols = "symbols";
        public const string Symbol = "symbol";
        public const string Seq = "seq";
        public const string LastSeq = "lastSeq";
        public const string FromSeq = "fromSeq";
        public const string ToSeq = "toSeq";
        public const string OldestSeq = "oldestSeq";
        public const string Bid = "bid";
        public const string Ask = "ask";
        public const string BidSize = "bidSize";
        public const string AskSize = "askSize";
        public const string Price = "price";
        public const string Size = "size";
        public const string Side = "side";
        public const string Timestamp = "ts";
        public const string Replay = "replay";
        public const string Reason = "reason";
        public const string Detail = "detail";
        public const string Venue = "venue";
        public const string SessionId = "sessionId";
        public const string HeartbeatMs = "heartbeatMs";
        public const string Quotes = "quotes";
    }

    /// <summary>Values of the <c>type</c> field.</summary>
    public static class Types
    {
        // client → venue
        public const string Login = "login";
        public const string Subscribe = "subscribe";
        public const string Unsubscribe = "unsubscribe";
        public const string Replay = "replay";
        public const string Snapshot = "snapshot";

        // venue → client
        public const string LoginOk = "login_ok";
        public const string LoginRefused = "login_refused";
        public const string Subscribed = "subscribed";
        public const string Unsubscribed = "unsubscribed";
        public const string Error = "error";
        public const string Quote = "quote";
        public const string Trade = "trade";
        public const string Heartbeat = "heartbeat";
        public const string ReplayDone = "replay_done";
        public const string ReplayUnavailable = "replay_unavailable";
    }

    /// <summary>Reasons in <c>login_refused</c> and in the venue's close status description.</summary>
    public static class Reasons
    {
        public const string BadToken = "bad_token";
        public const string LoginsRefused = "logins_refused";
        public const string LoginTimeout = "login_timeout";
        public const string SlowConsumer = "slow_consumer";
        public const string VenueDown = "venue_down";
        public const string UnknownSymbol = "unknown_symbol";
        public const string BadRequest = "bad_request";
    }

    /// <summary>Microseconds since the Unix epoch, the unit of <c>ts</c>.</summary>
    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
