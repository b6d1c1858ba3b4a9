using TradingAspire.Gateway;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Sampling;

/// <summary>Which orders the always-sample rules keep, and the notional they compare.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class SamplingRulesTests
{
    private static readonly SamplingRules Rules = new(new SamplingOptions
    {
        Ratio = 0,
        AlwaysClients = ["vip-desk", " padded "],
        AlwaysSymbols = ["BTC-USD"],
        AlwaysAboveNotional = 100_000m,
    });

    public static TheoryData<string, string?, string?, double?, SamplingRule> Orders => new()
    {
        { "a named client", "vip-desk", "ETH-USD", 10, SamplingRule.Client },
        { "a named client written padded in the settings", "padded", "ETH-USD", 10, SamplingRule.Client },
        { "a client id in another case (ids are exact)", "VIP-DESK", "ETH-USD", 10, SamplingRule.None },
        { "a named symbol", "anyone", "BTC-USD", 10, SamplingRule.Symbol },
        { "a named symbol in lower case", "anyone", "btc-usd", 10, SamplingRule.Symbol },
        { "a notional above the threshold", "anyone", "ETH-USD", 100_000.01, SamplingRule.Notional },
        { "a notional exactly at the threshold", "anyone", "ETH-USD", 100_000, SamplingRule.None },
        { "an order matching every rule, client first", "vip-desk", "BTC-USD", 1e9, SamplingRule.Client },
        { "an order matching none", "anyone", "ETH-USD", 99, SamplingRule.None },
        { "an order with nothing known", null, null, null, SamplingRule.None },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void The_first_matching_rule_keeps_an_order(string order, string? client, string? symbol, double? notional, SamplingRule expected)
    {
        Assert.True(expected == Rules.Match(client, symbol, (decimal?)notional), order);
    }

    [Fact]
    public void No_configured_rule_means_nothing_is_looked_at()
    {
        var none = new SamplingRules(new SamplingOptions());
        Assert.False(none.Any);
        Assert.Equal(SamplingRule.None, none.Match("vip-desk", "BTC-USD", decimal.MaxValue));
        Assert.True(Rules.Any);
    }

    public static TheoryData<string, string?, string?, double?, double?, double?> Notionals => new()
    {
        { "a limit order: quantity × limit price", "ETH-USD", "LIMIT", 2, 3000, 6000 },
        { "a market order: quantity × the instrument's opening price", "BTC-USD", "MARKET", 2, null, 130000 },
        { "a market order for an unknown symbol", "NOPE-USD", "MARKET", 2, null, null },
        { "no quantity", "ETH-USD", "LIMIT", null, 3000, null },
        { "a negative quantity", "ETH-USD", "LIMIT", -1, 3000, null },
        { "a zero price", "ETH-USD", "LIMIT", 1, 0, null },
    };

    [Theory]
    [MemberData(nameof(Notionals))]
    public void The_notional_of_an_order_is_quantity_times_its_price(string order, string? symbol, string? type, double? quantity, double? limit, double? expected)
    {
        var request = new OrderRequest("c", symbol, "BUY", type, (decimal?)quantity, (decimal?)limit);
        Assert.True((decimal?)expected == OrderSampling.Notional(request), order);
    }

    [Fact]
    public void A_notional_beyond_decimal_range_counts_as_the_largest_not_an_overflow()
    {
        var request = new OrderRequest("c", "ETH-USD", "BUY", "LIMIT", decimal.MaxValue / 2, 1000m);
        Assert.Equal(decimal.MaxValue, OrderSampling.Notional(request));
    }
}
