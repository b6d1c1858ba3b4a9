namespace TradingAspire.Messaging;

/// <summary>How one attempt at an entry ended.</summary>
public enum AttemptResult
{
    /// <summary>The handler returned and the entry was acknowledged.</summary>
    Acknowledged,

    /// <summary>The handler failed; another delivery may succeed.</summary>
    Failed,

    /// <summary>The handler must wait for something that is away (or Redis itself is away).</summary>
    Transient,

    /// <summary>The payload cannot be decoded.</summary>
    Poison,

    /// <summary>The handler said no retry can fix it.</summary>
    Permanent,

    /// <summary>Delivered more often than allowed before this attempt even began (taken over from a dead consumer).</summary>
    OverDelivered,
}

/// <summary>What happens to an entry next.</summary>
public enum NextStep
{
    /// <summary>Nothing more: it was acknowledged (or moved, or someone else has it).</summary>
    Done,

    /// <summary>Deliver it again later, counting a delivery (XCLAIM).</summary>
    RetryCounting,

    /// <summary>Deliver it again later without counting a delivery (XCLAIM JUSTID): waiting is not failing.</summary>
    RetryWithoutCounting,

    /// <summary>Move it to <c>&lt;stream&gt;.dead</c>.</summary>
    DeadLetter,
}

/// <summary>
/// Decides what an attempt's result leads to. Pure: a failure counts toward <see cref="MessagingOptions.MaxDeliveries"/>,
/// waiting for something away does not (until <see cref="MessagingOptions.TransientRetryBudget"/> runs out), and
/// what no retry can fix is dead-lettered at once.
/// </summary>
public sealed class RedeliveryPolicy(int maxDeliveries, TimeSpan transientRetryBudget)
{
    public NextStep Decide(AttemptResult result, int deliveryCount, DateTimeOffset? transientSince, DateTimeOffset now) => result switch
    {
        AttemptResult.Acknowledged => NextStep.Done,
        AttemptResult.Poison or AttemptResult.Permanent or AttemptResult.OverDelivered => NextStep.DeadLetter,
        AttemptResult.Transient => now - (transientSince ?? now) > transientRetryBudget ? NextStep.DeadLetter : NextStep.RetryWithoutCounting,
        AttemptResult.Failed => deliveryCount >= maxDeliveries ? NextStep.DeadLetter : NextStep.RetryCounting,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    /// <summary>An entry already delivered more than the maximum is not processed again.</summary>
    public bool IsOverDelivered(int deliveryCount) => deliveryCount > maxDeliveries;
}
