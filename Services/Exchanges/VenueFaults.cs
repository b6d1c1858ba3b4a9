using System.Collections.Concurrent;

namespace TradingAspire.Exchanges;

/// <summary>
/// A fault injected into one venue through the admin API. <see cref="PriceOffsetBps"/> dislocates the venue's
/// prices from the market (bp, signed): its feed quotes and its fill prices both move, since both read
/// <see cref="PriceWalk.Quote"/>.
/// </summary>
public sealed record VenueFault(bool Down = false, int ExtraLatencyMs = 0, bool RejectAll = false, double PriceOffsetBps = 0);

/// <summary>
/// Faults currently injected per venue (admin-only, in memory: a restart clears them). A venue
/// that is down answers 503 before it accepts anything; a slow one adds latency to every order.
/// </summary>
public sealed class VenueFaults
{
    private readonly ConcurrentDictionary<string, VenueFault> faults = new(StringComparer.OrdinalIgnoreCase);

    public VenueFault For(string venue) => faults.GetValueOrDefault(venue) ?? new VenueFault();

    public void Set(string venue, VenueFault fault) => faults[venue] = fault;

    public bool Clear(string venue) => faults.TryRemove(venue, out _);

    public IReadOnlyDictionary<string, VenueFault> All => faults;
}
