using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// Each venue feed's fault: the one set through the admin API (in memory, until deleted), else the
/// one configured under <c>Exchanges:Venues:&lt;venue&gt;:Feed</c>.
/// </summary>
public sealed class FeedFaults(IOptionsMonitor<ExchangeOptions> options)
{
    private readonly ConcurrentDictionary<string, VenueFeedFault> injected = new(StringComparer.OrdinalIgnoreCase);

    public VenueFeedFault For(string venue) => Describe(venue).Fault;

    public (VenueFeedFault Fault, string Source) Describe(string venue) =>
        injected.TryGetValue(venue, out var fault)
            ? (fault, VenueFeedAdmin.FromAdmin)
            : (options.CurrentValue.Venues.TryGetValue(venue, out var settings) ? settings.Feed ?? VenueFeedFault.None : VenueFeedFault.None, VenueFeedAdmin.FromConfiguration);

    public void Set(string venue, VenueFeedFault fault) => injected[venue] = fault;

    public bool Clear(string venue) => injected.TryRemove(venue, out _);
}
