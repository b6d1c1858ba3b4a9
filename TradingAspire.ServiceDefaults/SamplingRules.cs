using System.Collections.Frozen;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// The always-sample rules, precomputed once: matching an order is two frozen-set lookups and a
/// decimal comparison, no allocation. The first rule that matches wins (client, symbol, notional).
/// </summary>
public sealed class SamplingRules
{
    private readonly FrozenSet<string> clients;
    private readonly FrozenSet<string> symbols;
    private readonly decimal? aboveNotional;

    public SamplingRules(SamplingOptions options)
    {
        clients = options.AlwaysClients.Select(c => c.Trim()).ToFrozenSet(StringComparer.Ordinal);
        symbols = options.AlwaysSymbols.Select(s => s.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        aboveNotional = options.AlwaysAboveNotional;
        Any = clients.Count > 0 || symbols.Count > 0 || aboveNotional is not null;
    }

    /// <summary>False when no rule is configured (then nothing needs to be looked at per order).</summary>
    public bool Any { get; }

    public SamplingRule Match(string? clientId, string? symbol, decimal? notional)
    {
        if (clientId is not null && clients.Contains(clientId))
        {
            return SamplingRule.Client;
        }

        if (symbol is not null && symbols.Contains(symbol))
        {
            return SamplingRule.Symbol;
        }

        if (aboveNotional is { } limit && notional > limit)
        {
            return SamplingRule.Notional;
        }

        return SamplingRule.None;
    }
}
