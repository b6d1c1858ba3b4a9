using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Load;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.Load;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class LoadOrdersTests
{
    private readonly LoadOrders orders = new(7, clientId => $"key-of-{clientId}");

    [Fact]
    public void Every_order_body_is_a_valid_order_of_its_own_client_for_the_gateway()
    {
        for (var i = 0; i < 7 * InstrumentCatalog.All.Count * 2; i++)
        {
            var order = orders[i];
            var errors = new Dictionary<string, List<string>>();
            using var body = JsonDocument.Parse(order.Body);
            var valid = OrderValidator.Validate(OrderRequestParser.Parse(body.RootElement, errors), errors);

            Assert.True(valid is not null, $"order {i}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            Assert.Equal(order.ClientId, valid.ClientId);
            Assert.Equal($"key-of-{order.ClientId}", order.ApiKey);
        }
    }

    [Fact]
    public void Orders_go_round_robin_over_the_clients_and_each_client_alternates_buy_and_sell_of_the_same_quantity()
    {
        var byClient = Enumerable.Range(0, 7 * InstrumentCatalog.All.Count * 2 * 3)
            .Select(i => orders[i])
            .Select(o => JsonDocument.Parse(o.Body).RootElement)
            .GroupBy(o => o.GetProperty("clientId").GetString())
            .ToArray();

        Assert.Equal(7, byClient.Length);
        foreach (var client in byClient)
        {
            var sent = client.ToArray();
            Assert.Equal(InstrumentCatalog.All.Count * 2 * 3, sent.Length);
            foreach (var symbol in sent.GroupBy(o => o.GetProperty("symbol").GetString()))
            {
                var net = symbol.Sum(o => (o.GetProperty("side").GetString() == "BUY" ? 1 : -1) * o.GetProperty("quantity").GetDecimal());
                Assert.Equal(0m, net);
            }
        }
    }
}
