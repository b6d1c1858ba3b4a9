using TradingAspire.Contracts;

namespace TradingAspire.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} accepted: {ClientId} {Side} {Quantity} {Symbol}")]
    public static partial void OrderAccepted(ILogger logger, string orderId, string clientId, string symbol, OrderSide side, decimal quantity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} could not be stored; answering 503")]
    public static partial void OrderNotStored(ILogger logger, Exception ex, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No reply to the accept of order {OrderId}; resolving whether it was stored")]
    public static partial void AcceptUnanswered(ILogger logger, Exception ex, string orderId);
}
