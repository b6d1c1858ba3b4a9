using System.Diagnostics;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

/// <summary><see cref="ConsumerTracing.None"/>: a housekeeping stream's entries are handled and acknowledged, and make no span.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class UntracedConsumerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_untraced_consumer_handles_and_acknowledges_entries_without_a_process_span()
    {
        var stream = "test." + Guid.NewGuid().ToString("N")[..8];
        var probe = new HandlerProbe();
        var host = new MessagingHost(redis.ConnectionString, stream, "g", probe, consumerTracing: ConsumerTracing.None);
        try
        {
            await host.StartAsync();
            for (var i = 0; i < 3; i++)
            {
                await host.Publisher.PublishAsync(stream, new Ping($"p{i}", i));
            }

            await Eventually.True(() => Task.FromResult(probe.Deliveries.Count == 3), Timeout, "three deliveries");
            await Eventually.True(async () => (await redis.Connection.GetDatabase().StreamPendingAsync(stream, "g")).PendingMessageCount == 0,
                Timeout, "every entry to be acknowledged");
        }
        finally
        {
            // Stopping drains every attempt in flight: any span one made has ended (and been collected) by now.
            await host.DisposeAsync();
        }

        // The handler ran outside any trace, and the only spans are the producer's three sends.
        Assert.All(probe.Deliveries, d => Assert.Equal(default(ActivityTraceId), d.TraceId));
        Assert.Equal(3, host.Collector.Spans.Count(s => s.DisplayName == $"send {stream}"));
        Assert.DoesNotContain(host.Collector.Spans, s => s.DisplayName == $"process {stream}");
    }
}
