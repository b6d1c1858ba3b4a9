using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// The span links of a decision's root to the marketdata spans that carried the quotes it acted on
/// (<see cref="BookQuote.TraceParent"/>: the sampled <c>marketdata.message</c>, else the feed's <c>marketdata.session</c>).
/// A link's attributes say why it is there (<c>trading.link.reason</c> = <c>triggering_quote</c>), the quote's venue, symbol
/// and feed sequence, and for an arbitrage the leg the quote priced. Given to <c>StartActivity</c>, so samplers see them.
/// A quote without a (valid) context gives no link.
/// </summary>
public static class QuoteLinks
{
    /// <summary>The link to the marketdata span of a signal's quote (empty when it has none).</summary>
    public static IReadOnlyList<ActivityLink> For(BookQuote quote) =>
        Link(quote, leg: null) is { } link ? [link] : [];

    /// <summary>The links to the marketdata spans of both quotes of an opportunity (each venue's own feed).</summary>
    public static IReadOnlyList<ActivityLink> For(ArbitrageOpportunity opportunity)
    {
        var links = new List<ActivityLink>(2);
        if (Link(opportunity.Buy, StrategySpans.Legs.Buy) is { } buy)
        {
            links.Add(buy);
        }

        if (Link(opportunity.Sell, StrategySpans.Legs.Sell) is { } sell)
        {
            links.Add(sell);
        }

        return links;
    }

    private static ActivityLink? Link(BookQuote quote, string? leg)
    {
        if (!quote.TryGetMarketDataContext(out var context))
        {
            return null;
        }

        var tags = new ActivityTagsCollection
        {
            [TradingAttributes.LinkReason] = StrategySpans.TriggeringQuoteLink,
            [TradingAttributes.Venue] = quote.Venue,
            [TradingAttributes.Symbol] = quote.Symbol,
        };
        if (quote.Seq is { } seq)
        {
            tags[TradingAttributes.SignalQuoteSeq] = seq;
        }

        if (leg is not null)
        {
            tags[TradingAttributes.ArbitrageLeg] = leg;
        }

        return new ActivityLink(context, tags);
    }
}
