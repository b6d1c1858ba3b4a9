using System.Collections.Concurrent;

namespace TradingAspire.MarketData;

/// <summary>The venue feeds this instance runs, once discovered (empty before).</summary>
public sealed class FeedRegistry
{
    private readonly ConcurrentDictionary<string, VenueFeed> feeds = new(StringComparer.OrdinalIgnoreCase);
    private volatile VenueFeed[] all = [];

    /// <summary>Whether the venues were discovered (the exchanges service answered).</summary>
    public bool Discovered { get; private set; }

    public IReadOnlyList<VenueFeed> All => all;

    public VenueFeed Add(string venue, IReadOnlyList<string> symbols)
    {
        var feed = feeds.GetOrAdd(venue, v => new VenueFeed(v, symbols));
        all = [.. feeds.Values.OrderBy(f => f.Venue, StringComparer.Ordinal)];
        return feed;
    }

    public void MarkDiscovered() => Discovered = true;

    public VenueFeed? Find(string venue) => feeds.GetValueOrDefault(venue);
}
