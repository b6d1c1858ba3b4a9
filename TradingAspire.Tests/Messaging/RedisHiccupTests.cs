using System.Diagnostics;
using StackExchange.Redis;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

/// <summary>
/// Redis frozen for a few seconds (SIGSTOP, then SIGCONT: every command times out meanwhile) while
/// handlers are using it: the entries wait and are processed afterwards, none counted as a failed
/// delivery and none dead-lettered.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class RedisHiccupTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task Redis_timeouts_inside_handlers_are_waited_out_without_counting_deliveries_or_dead_lettering()
    {
        var stream = "hiccup." + Guid.NewGuid().ToString("N")[..8];
        var impatient = redis.ConnectionString + ",asyncTimeout=300,syncTimeout=300";
        await using var handlerRedis = await ConnectionMultiplexer.ConnectAsync(impatient);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 0;
        var probe = new HandlerProbe
        {
            Behaviour = async message =>
            {
                await gate.Task;
                try
                {
                    await handlerRedis.GetDatabase().StringSetAsync($"{stream}:done:{message.Body.Id}", message.DeliveryCount);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                    throw;
                }
            },
        };
        await using var host = new MessagingHost(impatient, stream, "g", probe);
        await host.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            await host.Publisher.PublishAsync(stream, new Ping($"p{i}", i));
        }

        await Eventually.True(() => Task.FromResult(probe.Deliveries.Count == 3), TimeSpan.FromSeconds(10), "three entries in their handlers");
        Signal(redis.Pid, "STOP");
        try
        {
            gate.SetResult();
            await Eventually.True(() => Task.FromResult(Volatile.Read(ref failures) >= 6), TimeSpan.FromSeconds(20), "handlers to keep failing while Redis is frozen");
        }
        finally
        {
            Signal(redis.Pid, "CONT");
        }

        var db = redis.Connection.GetDatabase();
        await Eventually.True(async () =>
        {
            var done = 0;
            for (var i = 0; i < 3; i++)
            {
                done += await db.KeyExistsAsync($"{stream}:done:p{i}") ? 1 : 0;
            }

            return done == 3 && (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0;
        }, TimeSpan.FromSeconds(30), "every entry processed and acknowledged after Redis came back");

        Assert.Equal(0, await db.StreamLengthAsync(StreamFields.DeadLetterStream(stream)));
        Assert.All(probe.Deliveries, d => Assert.Equal(1, d.Message.DeliveryCount));
        Assert.True(probe.Deliveries.Count > 3, "the entries were delivered again after the failures");
    }
}
