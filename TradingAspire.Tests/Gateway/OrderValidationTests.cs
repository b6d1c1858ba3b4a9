using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Gateway;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OrderValidationTests
{
    private static (ValidOrder? Order, Dictionary<string, List<string>> Errors) Validate(string json)
    {
        var errors = new Dictionary<string, List<string>>();
        var request = OrderRequestParser.Parse(JsonDocument.Parse(json).RootElement, errors);
        return (OrderValidator.Validate(request, errors), errors);
    }

    [Fact]
    public void A_complete_order_is_valid_and_normalised()
    {
        var (order, errors) = Validate("""{"clientId":"desk-1","symbol":"btc-usd","side":"buy","type":"Limit","quantity":0.5,"limitPrice":65000}""");
        Assert.Empty(errors);
        Assert.Equal(("BTC-USD", OrderSide.Buy, OrderType.Limit, 0.5m, 65000m), (order!.Instrument.Symbol, order.Side, order.Type, order.Quantity, order.LimitPrice));
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var (order, errors) = Validate("{}");
        Assert.Null(order);
        Assert.Equal(["clientId", "quantity", "side", "symbol", "type"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("""{"quantity":0}""", "quantity")]
    [InlineData("""{"quantity":-3}""", "quantity")]
    [InlineData("""{"quantity":1e40}""", "quantity")]
    [InlineData("""{"quantity":"1"}""", "quantity")]
    [InlineData("""{"quantity":0.123456789}""", "quantity")]
    [InlineData("""{"symbol":"LUNA-USD"}""", "symbol")]
    [InlineData("""{"symbol":7}""", "symbol")]
    [InlineData("""{"side":"HOLD"}""", "side")]
    [InlineData("""{"side":"1"}""", "side")]
    [InlineData("""{"type":"STOP"}""", "type")]
    [InlineData("""{"clientId":"bad id!"}""", "clientId")]
    [InlineData("""{"type":"LIMIT"}""", "limitPrice")]
    [InlineData("""{"type":"LIMIT","limitPrice":-1}""", "limitPrice")]
    [InlineData("""{"type":"MARKET","limitPrice":10}""", "limitPrice")]
    public void A_bad_field_is_reported_under_its_name(string overrides, string field)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"clientId":"c","symbol":"ETH-USD","side":"SELL","type":"MARKET","quantity":1}""")!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(overrides)!)
        {
            body[key] = value;
        }

        var (order, errors) = Validate(JsonSerializer.Serialize(body));
        Assert.Null(order);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_an_error_not_an_exception()
    {
        var (order, errors) = Validate("[1,2,3]");
        Assert.Null(order);
        Assert.Contains("body", errors.Keys);
    }
}
