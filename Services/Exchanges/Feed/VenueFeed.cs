using System.Collections.Concurrent;
using System.Text.Json;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// One venue's feed: the symbols it lists (fixed when the feed is first used), its open connections and
/// the fault the publisher last read for it.
/// </summary>
public sealed class VenueFeed
{
    private readonly object gate = new();
    private FeedSession[] sessions = [];

    public VenueFeed(string name, IReadOnlyList<string> symbols)
    {
        Name = name;
        Symbols = symbols.Where(s => InstrumentCatalog.TryGet(s, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        EncodedSymbols = Symbols.Select(s => JsonEncodedText.Encode(s)).ToArray();
    }

    public string Name { get; }

    /// <summary>The listed symbols, in the venue's spelling; a session subscribes by index into this.</summary>
    public IReadOnlyList<string> Symbols { get; }

    internal JsonEncodedText[] EncodedSymbols { get; }

    /// <summary>The fault in force, refreshed by the publisher every tick.</summary>
    public VenueFeedFault Fault { get; internal set; } = VenueFeedFault.None;

    /// <summary>The open connections (a snapshot; safe to enumerate while others connect).</summary>
    public FeedSession[] Sessions => Volatile.Read(ref sessions);

    public int IndexOf(string symbol)
    {
        for (var i = 0; i < Symbols.Count; i++)
        {
            if (string.Equals(Symbols[i], symbol, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    internal void Add(FeedSession session)
    {
        lock (gate)
        {
            Volatile.Write(ref sessions, [.. sessions, session]);
        }
    }

    internal void Remove(FeedSession session)
    {
        lock (gate)
        {
            Volatile.Write(ref sessions, sessions.Where(s => s != session).ToArray());
        }
    }

    /// <summary>Drops every connection abruptly (no close handshake); answers how many.</summary>
    public int AbortAll()
    {
        var open = Sessions;
        foreach (var session in open)
        {
            session.Abort();
        }

        return open.Length;
    }
}

/// <summary>Every venue's feed, created on first use from the venue's configured listings.</summary>
public sealed class VenueFeeds(Microsoft.Extensions.Options.IOptionsMonitor<ExchangeOptions> options)
{
    private readonly ConcurrentDictionary<string, VenueFeed> feeds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The venue's feed, or null when no such venue is configured.</summary>
    public VenueFeed? For(string venue) =>
        feeds.TryGetValue(venue, out var feed)
            ? feed
            : options.CurrentValue.Venues.TryGetValue(venue, out var settings)
                ? feeds.GetOrAdd(venue, name => new VenueFeed(options.CurrentValue.Venues.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)), settings.Symbols))
                : null;
}
