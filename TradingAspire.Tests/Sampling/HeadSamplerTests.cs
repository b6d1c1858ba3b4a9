using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Sampling;

/// <summary>
/// The head sampler's decisions: at the entry a ratio-out request is recorded but not sampled (the rules
/// may keep it); everywhere, a child follows its parent, so a trace is kept or dropped as a whole.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class HeadSamplerTests
{
    public static TheoryData<string, bool, double, string, ActivityKind, SamplingDecision> Decisions => new()
    {
        // entry (gateway)
        { "a request the ratio keeps is sampled", true, 1.0, "root", ActivityKind.Server, SamplingDecision.RecordAndSample },
        { "a request the ratio leaves out waits for the rules", true, 0.0, "root", ActivityKind.Server, SamplingDecision.RecordOnly },
        { "background work the ratio leaves out is dropped", true, 0.0, "root", ActivityKind.Internal, SamplingDecision.Drop },
        { "a root Redis command is dropped even at ratio 1", true, 1.0, "redis", ActivityKind.Client, SamplingDecision.Drop },
        { "a child of a sampled request is sampled", true, 0.0, "local-sampled", ActivityKind.Internal, SamplingDecision.RecordAndSample },
        { "a child of a waiting request is dropped", true, 0.0, "local-unsampled", ActivityKind.Internal, SamplingDecision.Drop },
        { "a caller's sampled trace is continued", true, 0.0, "remote-sampled", ActivityKind.Server, SamplingDecision.RecordAndSample },
        { "a caller's unsampled trace stays unsampled (no partial trace)", true, 1.0, "remote-unsampled", ActivityKind.Server, SamplingDecision.Drop },
        // every other service
        { "a downstream service follows a sampled entry", false, 0.0, "remote-sampled", ActivityKind.Consumer, SamplingDecision.RecordAndSample },
        { "a downstream service follows an unsampled entry", false, 1.0, "remote-unsampled", ActivityKind.Consumer, SamplingDecision.Drop },
        { "a downstream child of a dropped span is dropped", false, 1.0, "local-unsampled", ActivityKind.Internal, SamplingDecision.Drop },
        { "a downstream root is never merely recorded", false, 0.0, "root", ActivityKind.Server, SamplingDecision.Drop },
        { "a downstream root at ratio 1 is sampled", false, 1.0, "root", ActivityKind.Server, SamplingDecision.RecordAndSample },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void The_head_sampler_decides(string situation, bool entry, double ratio, string parent, ActivityKind kind, SamplingDecision expected)
    {
        var options = new SamplingOptions { Ratio = ratio };
        var sampler = entry ? HeadSampling.EntrySampler(options) : HeadSampling.Sampler(options);
        var traceId = ActivityTraceId.CreateRandom();
        var context = parent switch
        {
            "local-sampled" => new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded),
            "local-unsampled" => new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None),
            "remote-sampled" => new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true),
            "remote-unsampled" => new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true),
            _ => default,
        };
        KeyValuePair<string, object?>[] tags = parent == "redis" ? [new("db.system", "redis")] : [];

        var decision = sampler.ShouldSample(new SamplingParameters(context, traceId, "op", kind, tags)).Decision;

        Assert.True(expected == decision, $"{situation}: expected {expected}, got {decision}");
    }

    [Fact]
    public void A_ratio_keeps_about_that_share_of_traces_and_decides_the_same_for_the_same_trace_id()
    {
        var sampler = HeadSampling.EntrySampler(new SamplingOptions { Ratio = 0.25 });
        var ids = Enumerable.Range(0, 4000).Select(_ => ActivityTraceId.CreateRandom()).ToList();
        var kept = ids.Count(id => Decide(sampler, id) == SamplingDecision.RecordAndSample);
        Assert.InRange(kept, 850, 1150);
        Assert.All(ids.Take(100), id => Assert.Equal(Decide(sampler, id), Decide(sampler, id)));
    }

    private static SamplingDecision Decide(Sampler sampler, ActivityTraceId id) =>
        sampler.ShouldSample(new SamplingParameters(default, id, "op", ActivityKind.Server)).Decision;

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Ratio", "1.5", "Tracing:Sampling:Ratio must be between 0 and 1" },
        { "Ratio", "-0.1", "Tracing:Sampling:Ratio must be between 0 and 1" },
        { "Ratio", "NaN", "Tracing:Sampling:Ratio must be between 0 and 1" },
        { "Ratio", "lots", "Tracing:Sampling is not valid" },
        { "AlwaysAboveNotional", "-5", "Tracing:Sampling:AlwaysAboveNotional must not be negative" },
        { "AlwaysClients:0", " ", "must not hold empty entries" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void A_wrong_setting_stops_the_service_at_start_naming_it(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{SamplingOptions.Section}:{key}"] = value })
            .Build();
        var error = Assert.Throws<InvalidOperationException>(() => SamplingOptions.From(configuration));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_settings_keep_every_trace()
    {
        var options = SamplingOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(1.0, options.Ratio);
        Assert.Empty(options.AlwaysClients);
        Assert.Null(options.AlwaysAboveNotional);
        Assert.IsType<AlwaysOnSampler>(HeadSampling.RatioSampler(options.Ratio));
    }

    public static TheoryData<string, ActivitySamplingResult, bool, bool> Upgrades => new()
    {
        { "a recorded, unsampled root is sampled", ActivitySamplingResult.AllData, true, true },
        { "a dropped root (a caller's unsampled trace) is left alone", ActivitySamplingResult.PropagationData, true, false },
        { "no rule, no change", ActivitySamplingResult.AllData, false, false },
    };

    [Theory]
    [MemberData(nameof(Upgrades))]
    public void A_rule_upgrades_only_a_root_that_is_waiting_for_it(string situation, ActivitySamplingResult created, bool ruleMatched, bool sampled)
    {
        using var source = new ActivitySource("test.upgrade." + Guid.NewGuid().ToString("N"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => created,
        };
        ActivitySource.AddActivityListener(listener);
        using var root = source.StartActivity("request", ActivityKind.Server)!;

        var result = HeadSampling.Upgrade(root, ruleMatched ? SamplingRule.Symbol : SamplingRule.None);

        Assert.True(sampled == result && sampled == root.Recorded, situation);
        Assert.Equal(sampled ? "symbol" : null, root.GetTagItem(TradingAttributes.SamplingRule));
    }
}
