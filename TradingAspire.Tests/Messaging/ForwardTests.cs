using System.Diagnostics;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

/// <summary>
/// <see cref="StreamMessage{T}.Forward{TOut}"/>: what a handler forwards is added in the same step as the
/// acknowledgement of the entry it handled — never without it, never twice.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ForwardTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly ActivitySource TestSource = new("Test");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string NewStream() => "test." + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_forwarded_entry_is_added_with_the_acknowledgement_in_the_same_trace()
    {
        var (source, target) = (NewStream(), NewStream());
        var probe = new HandlerProbe();
        probe.Behaviour = message =>
        {
            message.Forward(target, message.Body with { Value = message.Body.Value + 1 });
            return Task.CompletedTask;
        };
        await using var host = new MessagingHost(redis.ConnectionString, source, "g", probe);
        await host.StartAsync();

        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("test-root"))
        {
            traceId = root!.TraceId;
            await host.Publisher.PublishAsync(source, new Ping("a", 1));
        }

        var db = redis.Connection.GetDatabase();
        var forwarded = await Eventually.Get(async () => (await db.StreamRangeAsync(target)).Select(e => (StreamEntry?)e).FirstOrDefault() is { } e ? new Box<StreamEntry>(e) : null,
            Timeout, "the forwarded entry");
        Assert.Contains("\"value\":2", forwarded.Value[StreamFields.Payload].ToString());
        Assert.Contains(traceId.ToHexString(), forwarded.Value[StreamFields.TraceParent].ToString());
        Assert.Equal(0, (await db.StreamPendingAsync(source, "g")).PendingMessageCount);

        var send = await Eventually.Get(() => Task.FromResult(host.Collector.Spans.FirstOrDefault(s => s.DisplayName == $"send {target}")), Timeout, "the send span");
        var process = host.Collector.Spans.Single(s => s.DisplayName == $"process {source}");
        Assert.Equal(process.SpanId, send.ParentSpanId);
        Assert.Equal(forwarded.Value.Id.ToString(), send.GetTagItem("messaging.message.id"));
    }

    [Fact]
    public async Task A_handler_that_forwards_and_then_fails_sends_nothing_until_an_attempt_succeeds()
    {
        var (source, target) = (NewStream(), NewStream());
        var attempts = 0;
        var probe = new HandlerProbe();
        probe.Behaviour = message =>
        {
            message.Forward(target, message.Body);
            return Interlocked.Increment(ref attempts) < 3 ? throw new InvalidOperationException("failed after forwarding") : Task.CompletedTask;
        };
        await using var host = new MessagingHost(redis.ConnectionString, source, "g", probe);
        await host.StartAsync();

        await host.Publisher.PublishAsync(source, new Ping("b", 1));

        var db = redis.Connection.GetDatabase();
        await Eventually.True(async () => (await db.StreamPendingAsync(source, "g")).PendingMessageCount == 0 && attempts == 3, Timeout, "the third attempt to succeed");
        Assert.Equal(1, await db.StreamLengthAsync(target));
        Assert.False(await db.KeyExistsAsync(StreamFields.DeadLetterStream(source)));
        var discarded = host.Collector.Spans.Where(s => s.DisplayName == $"send {target}" && s.Status == ActivityStatusCode.Error).ToList();
        Assert.Equal(2, discarded.Count);
    }

    [Fact]
    public async Task Acknowledging_again_after_a_lost_reply_adds_nothing_twice()
    {
        var (source, target) = (NewStream(), NewStream());
        var db = redis.Connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(source, "g", "0", createStream: true);
        await db.StreamAddAsync(source, "payload", "{}");
        var entry = Assert.Single(await db.StreamReadGroupAsync(source, "g", "c", ">", count: 1));
        var options = new MessagingOptions();
        var acknowledgement = new EntryAcknowledgement(new ConsumerIdentity(source, "g", "c"), options, redis.Connection);
        var publisher = new StreamPublisher(redis.Connection, options);

        using (var first = new DeliveryOutbox(publisher, StreamPartitions.TagIn(source)))
        {
            first.Add(target, new Ping("c", 1));
            await acknowledgement.AcknowledgeAsync(entry.Id!, first, null, CancellationToken.None);
        }

        // The reply to the first step was lost; the consumer tries again with the same forwarded entry.
        using (var again = new DeliveryOutbox(publisher, StreamPartitions.TagIn(source)))
        {
            again.Add(target, new Ping("c", 1));
            await acknowledgement.AcknowledgeAsync(entry.Id!, again, null, CancellationToken.None);
        }

        Assert.Equal(1, await db.StreamLengthAsync(target));
        Assert.Equal(0, (await db.StreamPendingAsync(source, "g")).PendingMessageCount);
    }
}
