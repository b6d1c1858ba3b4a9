using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceKeepPolicyTests
{
    private static readonly DateTime Start = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A judge that calls an end-to-end latency above 100 ms slow and a venue.match above 80 ms anomalous.</summary>
    private sealed class FixedJudge(LatencyVerdict? endToEnd = null) : ILatencyJudge
    {
        public LatencyVerdict EndToEnd(string rootName, long durationNanos) =>
            endToEnd ?? (durationNanos > 100_000_000 ? LatencyVerdict.Slow : LatencyVerdict.Normal);

        public LatencyVerdict Stage(string stageName, long durationNanos) =>
            stageName == "venue.match" && durationNanos > 80_000_000 ? LatencyVerdict.Slow : LatencyVerdict.Normal;
    }

    private static readonly AlertRule RiskAlert = new() { Name = "risk-slow", Stage = "risk.check", ThresholdMs = 5 };

    private static IReadOnlyList<SpanRecord> Rejected(int n) =>
        SampleTraces.Order(n, Start).Select(s => s.SpanName == "risk.check"
            ? s with { SpanAttributes = new Dictionary<string, string>(s.SpanAttributes) { [TradingAttributes.RiskDecision] = "rejected" } }
            : s).ToArray();

    public static TheoryData<string, Func<int, IReadOnlyList<SpanRecord>>, LatencyVerdict?, KeepReason> Table() => new()
    {
        { "error span", n => SampleTraces.Order(n, Start, riskError: true), null, KeepReason.Error },
        { "risk rejection", Rejected, null, KeepReason.Rejected },
        { "over an alert rule's threshold", n => SampleTraces.Order(n, Start, riskCheckMs: 6), null, KeepReason.Alert },
        { "slow end to end", n => SampleTraces.Order(n, Start, venueMatchMs: 95), null, KeepReason.Slow },
        { "stage anomaly, not slow end to end", n => SampleTraces.Order(n, Start, venueMatchMs: 85), LatencyVerdict.Normal, KeepReason.Anomaly },
        { "too few traces seen to judge", n => SampleTraces.Order(n, Start), LatencyVerdict.Unknown, KeepReason.Warmup },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Always_kept_traces_are_kept_whatever_the_share(string why, Func<int, IReadOnlyList<SpanRecord>> trace, LatencyVerdict? endToEnd, KeepReason expected)
    {
        var policy = new TraceKeepPolicy(keepShare: 0, [RiskAlert]);
        for (var n = 0; n < 50; n++)
        {
            var spans = trace(n);
            var reason = policy.Decide(spans[0].TraceId, spans, new FixedJudge(endToEnd));
            Assert.True(expected == reason, $"{why}: trace {n} was {reason}, expected {expected}");
            Assert.Equal(1, policy.WeightOf(reason));
        }
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.05)]
    [InlineData(0.5)]
    public void An_ordinary_trace_is_kept_iff_its_id_hashes_under_the_share_and_every_decision_agrees(double share)
    {
        var policy = new TraceKeepPolicy(share, [RiskAlert]);
        var again = new TraceKeepPolicy(share, []);
        var kept = 0;
        const int Traces = 20_000;
        for (var n = 0; n < Traces; n++)
        {
            var spans = SampleTraces.Order(n, Start);
            var traceId = spans[0].TraceId;
            var reason = policy.Decide(traceId, spans, new FixedJudge());
            Assert.Equal(TraceSampleHash.Fraction(traceId) < share ? KeepReason.Sampled : KeepReason.SampledOut, reason);
            Assert.Equal(reason, again.Decide(traceId, spans.Reverse().ToArray(), new FixedJudge()));
            kept += reason == KeepReason.Sampled ? 1 : 0;
        }

        // The hash spreads sequential ids evenly: the kept share is the configured one (binomial, 5 standard deviations).
        var sd = Math.Sqrt(Traces * share * (1 - share));
        Assert.InRange(kept, Traces * share - 5 * sd, Traces * share + 5 * sd);
        Assert.Equal(1 / share, policy.WeightOf(KeepReason.Sampled), 9);
    }

    [Fact]
    public void The_sample_hash_depends_on_the_trace_id_only()
    {
        var id = "4bf92f3577b34da6a3ce929d0e0e4736";
        Assert.Equal(TraceSampleHash.Fraction(id), TraceSampleHash.Fraction(new string(id.ToCharArray())));
        Assert.NotEqual(TraceSampleHash.Fraction(id), TraceSampleHash.Fraction("4bf92f3577b34da6a3ce929d0e0e4737"));
        Assert.InRange(TraceSampleHash.Fraction("not-hex"), 0, 1);
        Assert.True(TraceSampleHash.InShare(id, 1));
        Assert.False(TraceSampleHash.InShare(id, 0));
    }
}
