using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TradingAspire.OrderFlow;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.OrderFlow;

/// <summary>
/// The generator starts a generated order's trace, so the head-sampling rules run there. The test uses
/// the real entry sampler at ratio 0 in an OpenTelemetry tracer provider. An order a rule matches
/// (client, symbol or notional) gets a sampled <c>order.submit</c> root, tagged with the rule. Its
/// HTTP call is a sampled child, so the traceparent it sends carries flag 01. Any other order's root
/// is recorded but not sampled, and so is never exported.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
[Collection(SoleTracerProviderCollection.Name)]
public sealed class OrderSubmissionSamplingTests
{
    private static GeneratedOrder Order(string client, string symbol, decimal? notional) =>
        new(new Dictionary<string, object?> { ["clientId"] = client, ["symbol"] = symbol, ["side"] = "BUY", ["type"] = "MARKET" }, "valid", notional);

    public static TheoryData<string, string, string, double?, string?> Orders => new()
    {
        { "a named client's order", "vip-desk", "ETH-USD", 100, "client" },
        { "an order in an always-sampled symbol", "desk-beta", "SOL-USD", 100, "symbol" },
        { "an order above the notional", "desk-beta", "ETH-USD", 2_500_000, "notional" },
        { "an ordinary order", "desk-beta", "ETH-USD", 4_000, null },
        { "an order of unknown notional", "desk-beta", "ETH-USD", null, null },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void A_generated_order_left_out_by_the_ratio_is_sampled_at_its_root_when_a_rule_matches(
        string situation, string client, string symbol, double? notional, string? rule)
    {
        var options = new SamplingOptions { Ratio = 0, AlwaysClients = ["vip-desk"], AlwaysSymbols = ["SOL-USD"], AlwaysAboveNotional = 1_000_000 };
        var telemetry = new ServiceTelemetry("OrderFlowSamplingTest" + Guid.NewGuid().ToString("N"));
        var exported = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .SetSampler(HeadSampling.EntrySampler(options))
                   .AddSource(telemetry.Name)
                   .AddInMemoryExporter(exported)
                   .Build())
        {
            var submission = new OrderSubmission(telemetry, new SamplingRules(options));
            using var submit = submission.Start(Order(client, symbol, (decimal?)notional));
            Assert.NotNull(submit);
            using var http = telemetry.Source.StartActivity("POST", ActivityKind.Client);

            Assert.True((rule is not null) == submit.Recorded, $"{situation}: root sampled {submit.Recorded}");
            Assert.True((rule is not null) == (http?.Recorded ?? false), $"{situation}: the HTTP call must follow its root");
            Assert.Equal(rule, submit.GetTagItem(TradingAttributes.SamplingRule));
            Assert.Equal(HeadSampling.SubmitSpanName, submit.OperationName);
        }

        Assert.Equal(rule is null ? 0 : 2, exported.Count);
    }

    [Fact]
    public void An_order_the_ratio_keeps_is_sampled_without_a_rule_tag()
    {
        var options = new SamplingOptions { Ratio = 1.0, AlwaysAboveNotional = 1_000_000 };
        var telemetry = new ServiceTelemetry("OrderFlowSamplingTest" + Guid.NewGuid().ToString("N"));
        using var provider = Sdk.CreateTracerProviderBuilder().SetSampler(HeadSampling.EntrySampler(options)).AddSource(telemetry.Name).Build();

        using var submit = new OrderSubmission(telemetry, new SamplingRules(options)).Start(Order("desk-beta", "ETH-USD", 2_000_000));

        Assert.True(submit!.Recorded);
        Assert.Null(submit.GetTagItem(TradingAttributes.SamplingRule));
        Assert.Equal("desk-beta", submit.GetTagItem(TradingAttributes.ClientId));
    }
}
