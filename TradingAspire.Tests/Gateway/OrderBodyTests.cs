using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Gateway;

/// <summary>Ambiguous bodies and key spaces, through the real gateway on Kestrel and a real redis-server.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class OrderBodyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Theory]
    [InlineData("""{"symbol":"ETH-USD","side":"BUY","type":"MARKET","quantity":1,"quantity":-1}""", "body")]
    [InlineData("""{"symbol":"ETH-USD","side":"BUY","type":"MARKET","quantity":1,"Quantity":-1}""", "quantity")]
    [InlineData("""{"symbol":"ETH-USD","side":"BUY","side":"SELL","type":"MARKET","quantity":1}""", "body")]
    [InlineData("""{"symbol":"ETH-USD","SIDE":"BUY","side":"SELL","type":"MARKET","quantity":1}""", "side")]
    public async Task A_body_naming_a_member_twice_is_refused_with_400_naming_it(string body, string field)
    {
        await using var gateway = await GatewayHost.StartAsync(redis.ConnectionString);
        using var http = gateway.ClientFor("dup-json");
        using var response = await http.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {problem}");
        var errors = JsonDocument.Parse(problem).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}': {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains("more than once", StringComparison.Ordinal)
            || m.GetString()!.Contains("duplicate", StringComparison.OrdinalIgnoreCase));
        Assert.True(JsonDocument.Parse(problem).RootElement.TryGetProperty("traceId", out _));
    }

    /// <summary>Short strings over a tiny alphabet with the separator in it, so that near-collisions are common.</summary>
    private static readonly Gen<string> Part = Gen.Char["ab:1"].Array[0, 6].Select(chars => new string(chars));

    [Fact]
    public void Idempotency_keys_of_different_clients_or_keys_never_share_a_redis_key() =>
        Gen.Select(Part, Part, Part, Part)
            .Sample((clientA, keyA, clientB, keyB) =>
                (clientA, keyA) == (clientB, keyB) || OrderKeys.Idempotency("{p0}", clientA, keyA) != OrderKeys.Idempotency("{p0}", clientB, keyB),
                iter: 20_000);

    [Fact]
    public void Idempotency_keys_that_used_to_collide_no_longer_do() =>
        Assert.NotEqual(OrderKeys.Idempotency("{p0}", "a", "b:c"), OrderKeys.Idempotency("{p0}", "a:b", "c"));
}
