using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The Redis streams of the order pipeline in an app with one partition (<c>Messaging:Partitions</c> = 1, the
/// default): <c>orders.new{p0}</c>, … and their dead letters.
/// </summary>
internal static class OrderStreams
{
    public static readonly string New = StreamPartitions.Single.Stream(Streams.OrdersNew, 0);
    public static readonly string Approved = StreamPartitions.Single.Stream(Streams.OrdersApproved, 0);
    public static readonly string Rejected = StreamPartitions.Single.Stream(Streams.OrdersRejected, 0);
    public static readonly string Filled = StreamPartitions.Single.Stream(Streams.OrdersFilled, 0);
    public static readonly string NewDead = StreamFields.DeadLetterStream(New);
}
