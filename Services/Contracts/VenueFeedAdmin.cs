namespace TradingAspire.Contracts;

/// <summary>
/// A venue feed's injected fault (config <c>Exchanges:Venues:&lt;venue&gt;:Feed</c>, or
/// <c>PUT /admin/venues/{venue}/feed/fault</c>, which overrides the configuration until deleted).
/// </summary>
public sealed record VenueFeedFault
{
    /// <summary>Every message is sent this late (its <c>ts</c> stays the time it was generated).</summary>
    public int DelayMs { get; init; }

    /// <summary>Plus a uniform random 0..JitterMs per message.</summary>
    public int JitterMs { get; init; }

    /// <summary>Chance a sequenced message is lost (it takes its seq and stays replayable, but is not sent).</summary>
    public double DropProbability { get; init; }

    /// <summary>No quotes or trades; heartbeats continue.</summary>
    public bool Stale { get; init; }

    /// <summary>Every login is answered <c>login_refused</c> (reason <c>logins_refused</c>).</summary>
    public bool RefuseLogins { get; init; }

    /// <summary>Overrides <c>Exchanges:Feed:MessagesPerSecond</c> for this venue's connections.</summary>
    public int? MessagesPerSecond { get; init; }

    /// <summary>Overrides <c>Exchanges:Feed:SendBufferMessages</c> for connections opened afterwards.</summary>
    public int? SendBufferMessages { get; init; }

    public static readonly VenueFeedFault None = new();
}

/// <summary>The next <paramref name="Count"/> sequenced messages on each connection are lost (a gap of exactly Count).</summary>
public sealed record FeedDropRequest(int Count);

/// <summary>Send <paramref name="Count"/> malformed frames of one kind (<see cref="VenueFeedAdmin.MalformedKinds"/>) on each connection.</summary>
public sealed record FeedMalformedRequest(string Kind, int Count = 1);

/// <summary>How many connections an admin action reached.</summary>
public sealed record FeedActionResult(string Venue, int Connections);

/// <summary>One open feed connection as the venue sees it.</summary>
public sealed record FeedConnectionInfo(string SessionId, bool LoggedIn, long LastSeq, IReadOnlyList<string> Symbols, int Queued, string? Closing);

/// <summary><c>GET /admin/venues/{venue}/feed</c>: the venue's connections and its current fault.</summary>
public sealed record VenueFeedStatus(string Venue, VenueFeedFault Fault, string FaultSource, IReadOnlyList<FeedConnectionInfo> Connections);

/// <summary>Admin routes and names of the venue feed's fault injection.</summary>
public static class VenueFeedAdmin
{
    public static string StatusPath(string venue) => $"/admin/venues/{Uri.EscapeDataString(venue)}/feed";
    public static string FaultPath(string venue) => StatusPath(venue) + "/fault";
    public static string DisconnectPath(string venue) => StatusPath(venue) + "/disconnect";
    public static string DropPath(string venue) => StatusPath(venue) + "/drop";
    public static string MalformedPath(string venue) => StatusPath(venue) + "/malformed";

    /// <summary>Where a fault came from in <see cref="VenueFeedStatus.FaultSource"/>.</summary>
    public const string FromAdmin = "admin";
    public const string FromConfiguration = "configuration";

    /// <summary>Close description (1008 PolicyViolation) when a client frame exceeds the venue's limit.</summary>
    public const string FrameTooLarge = "frame_too_large";

    /// <summary>Kinds of <see cref="FeedMalformedRequest"/>.</summary>
    public static class MalformedKinds
    {
        /// <summary>A text frame that is not JSON (unsequenced).</summary>
        public const string InvalidJson = "invalid_json";

        /// <summary>A 1 MiB JSON text frame (type quote, no seq, a padding field).</summary>
        public const string Huge = "huge";

        /// <summary>A JSON object of an unknown type (unsequenced).</summary>
        public const string UnknownType = "unknown_type";

        /// <summary>A quote whose seq is lower than the last one sent (it does not advance the sequence).</summary>
        public const string SeqBackwards = "seq_backwards";

        /// <summary>A sequenced quote whose ts is one hour in the future (it takes the next seq).</summary>
        public const string FutureTimestamp = "future_timestamp";

        public static readonly IReadOnlyList<string> All = [InvalidJson, Huge, UnknownType, SeqBackwards, FutureTimestamp];
    }
}
