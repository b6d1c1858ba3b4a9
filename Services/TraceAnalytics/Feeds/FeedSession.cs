namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>
/// One connection session of a venue feed, from its trace's <c>marketdata.session</c> root (stored once the session
/// ended) and <c>marketdata.connect</c> child (stored once subscribed, so an open session shows before its root).
/// </summary>
/// <param name="TraceId">The session's trace.</param>
/// <param name="Venue"><c>trading.venue</c> of the session (or of its connect span).</param>
/// <param name="SessionId"><c>trading.marketdata.session_id</c>, when set.</param>
/// <param name="Start">Start of the session span, else of its connect span.</param>
/// <param name="End">End of the session span; null while the session is open (no root stored yet).</param>
/// <param name="Status">The session span's status (Unset, Ok, Error), else the connect span's.</param>
/// <param name="StatusMessage">The description of that status.</param>
/// <param name="DisconnectReason">From the session's <c>disconnected</c> event; null when none.</param>
/// <param name="Url">The trace on the page (its trace view, <c>/?trace=</c>).</param>
public sealed record FeedSession(
    string TraceId,
    string Venue,
    string? SessionId,
    DateTime Start,
    DateTime? End,
    string Status,
    string StatusMessage,
    string? DisconnectReason,
    string Url)
{
    public bool Open => End is null;
}
