using System.Diagnostics;
using OpenTelemetry.Trace;
using TradingAspire.Contracts;
using TradingAspire.MarketData;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>Which feed messages get spans, and that session roots are sampled whatever the head-sampling ratio.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class FeedSamplingTests
{
    [Fact]
    public void One_message_in_N_is_sampled_periodically()
    {
        var sampler = new MessageSampler(10);
        var reasons = Enumerable.Range(0, 100).Select(_ => sampler.Next(SequenceOutcome.InOrder)).ToList();

        Assert.Equal(10, reasons.Count(r => r == SampleReason.Periodic));
        Assert.Equal(90, reasons.Count(r => r == SampleReason.None));
    }

    [Fact]
    public void Every_message_next_to_an_anomaly_is_sampled_with_its_reason()
    {
        var sampler = new MessageSampler(1000);
        Assert.Equal(SampleReason.Gap, sampler.Next(SequenceOutcome.Gap));
        Assert.Equal(SampleReason.OutOfOrder, sampler.Next(SequenceOutcome.OutOfOrder));
        Assert.Equal(SampleReason.None, sampler.Next(SequenceOutcome.InOrder));
        sampler.MalformedSeen();
        Assert.Equal(SampleReason.Malformed, sampler.Next(SequenceOutcome.InOrder));
        Assert.Equal(SampleReason.None, sampler.Next(SequenceOutcome.InOrder));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(1.0)]
    public void Session_roots_are_sampled_at_any_ratio_and_other_background_roots_follow_the_ratio(double ratio)
    {
        var sampler = HeadSampling.AlwaysSampledRootsSampler(new SamplingOptions { Ratio = ratio }, MarketDataSpans.Session);

        for (var i = 0; i < 50; i++)
        {
            var id = ActivityTraceId.CreateRandom();
            Assert.Equal(SamplingDecision.RecordAndSample,
                sampler.ShouldSample(new SamplingParameters(default, id, MarketDataSpans.Session, ActivityKind.Client)).Decision);
        }

        var others = Enumerable.Range(0, 200)
            .Count(_ => sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET", ActivityKind.Client)).Decision == SamplingDecision.RecordAndSample);
        if (ratio == 0.0)
        {
            Assert.Equal(0, others);
        }
        else if (ratio == 1.0)
        {
            Assert.Equal(200, others);
        }
        else
        {
            Assert.InRange(others, 0, 20);
        }
    }

    [Fact]
    public void A_session_roots_children_follow_it_and_a_session_name_under_an_unsampled_parent_is_not_forced()
    {
        var sampler = HeadSampling.AlwaysSampledRootsSampler(new SamplingOptions { Ratio = 0.0 }, MarketDataSpans.Session);
        var traceId = ActivityTraceId.CreateRandom();
        var sampledParent = new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var unsampledParent = new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        Assert.Equal(SamplingDecision.RecordAndSample,
            sampler.ShouldSample(new SamplingParameters(sampledParent, traceId, MarketDataSpans.Message, ActivityKind.Consumer)).Decision);
        Assert.Equal(SamplingDecision.Drop,
            sampler.ShouldSample(new SamplingParameters(unsampledParent, traceId, MarketDataSpans.Session, ActivityKind.Client)).Decision);
    }
}
