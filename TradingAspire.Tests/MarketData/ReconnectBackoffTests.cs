using TradingAspire.MarketData;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketData;

/// <summary>Reconnect delays grow exponentially up to the cap, with jitter in [d/2, d].</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ReconnectBackoffTests
{
    private readonly ReconnectBackoff backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), new Random(1));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(6, 3200)]
    [InlineData(7, 5000)]
    [InlineData(1000, 5000)]
    public void The_ceiling_doubles_per_attempt_up_to_the_maximum(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Ceiling(attempt));
    }

    [Fact]
    public void Every_delay_lies_between_half_the_ceiling_and_the_ceiling_and_they_differ()
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = backoff.Ceiling(attempt);
            var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayFor(attempt)).ToList();
            Assert.All(delays, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(delays.Distinct().Count() > 100, $"attempt {attempt}: the jitter spreads delays");
        }
    }
}
