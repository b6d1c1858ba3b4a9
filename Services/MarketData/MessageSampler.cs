using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>Why a feed message got a span (<c>trading.marketdata.sample_reason</c>).</summary>
public enum SampleReason : byte
{
    None,
    Periodic,
    Gap,
    OutOfOrder,
    Malformed,
}

/// <summary>
/// Which feed messages get a <c>marketdata.message</c> span: one in <c>MessageSampleEvery</c>, and every
/// message next to an anomaly (the one that revealed a gap, one whose number went backwards, the first
/// after a malformed frame). Per connection, single-threaded.
/// </summary>
public sealed class MessageSampler(int every)
{
    private readonly int every = Math.Max(1, every);
    private int sinceLast;
    private bool afterMalformed;

    /// <summary>A malformed frame arrived: the next message is sampled.</summary>
    public void MalformedSeen() => afterMalformed = true;

    public SampleReason Next(SequenceOutcome outcome)
    {
        var reason = outcome switch
        {
            SequenceOutcome.Gap => SampleReason.Gap,
            SequenceOutcome.OutOfOrder => SampleReason.OutOfOrder,
            _ => afterMalformed ? SampleReason.Malformed : SampleReason.None,
        };
        afterMalformed = false;
        if (++sinceLast >= every)
        {
            sinceLast = 0;
            return reason == SampleReason.None ? SampleReason.Periodic : reason;
        }

        return reason;
    }
}

public static class SampleReasons
{
    public static string TagValue(this SampleReason reason) => reason switch
    {
        SampleReason.Periodic => "periodic",
        SampleReason.Gap => "gap",
        SampleReason.OutOfOrder => "out_of_order",
        SampleReason.Malformed => "malformed",
        _ => "none",
    };
}
