using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

/// <summary>What each attempt's result leads to, as a table (MaxDeliveries 3, transient budget 10 minutes).</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class RedeliveryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RedeliveryPolicy Policy = new(maxDeliveries: 3, transientRetryBudget: TimeSpan.FromMinutes(10));

    public static TheoryData<AttemptResult, int, int?, NextStep> Table => new()
    {
        // result, delivery count, seconds since it started waiting (null: not waiting), next step
        { AttemptResult.Acknowledged, 1, null, NextStep.Done },
        { AttemptResult.Acknowledged, 3, 120, NextStep.Done },
        { AttemptResult.Failed, 1, null, NextStep.RetryCounting },
        { AttemptResult.Failed, 2, null, NextStep.RetryCounting },
        { AttemptResult.Failed, 3, null, NextStep.DeadLetter },
        { AttemptResult.Transient, 1, 0, NextStep.RetryWithoutCounting },
        { AttemptResult.Transient, 3, 599, NextStep.RetryWithoutCounting }, // waiting never counts a delivery
        { AttemptResult.Transient, 1, 601, NextStep.DeadLetter },            // ... until the budget runs out
        { AttemptResult.Poison, 1, null, NextStep.DeadLetter },
        { AttemptResult.Permanent, 1, null, NextStep.DeadLetter },
        { AttemptResult.OverDelivered, 4, null, NextStep.DeadLetter },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_result_leads_to_one_next_step(AttemptResult result, int deliveryCount, int? waitingSeconds, NextStep expected) =>
        Assert.Equal(expected, Policy.Decide(result, deliveryCount, waitingSeconds is { } s ? Now.AddSeconds(-s) : null, Now));

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void An_entry_delivered_more_than_the_maximum_is_not_processed_again(int deliveryCount, bool over) =>
        Assert.Equal(over, Policy.IsOverDelivered(deliveryCount));
}
