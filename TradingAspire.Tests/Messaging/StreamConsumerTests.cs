using System.Diagnostics;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class StreamConsumerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly ActivitySource TestSource = new("Test");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string NewStream() => "test." + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Published_message_is_processed_in_the_producers_trace_with_its_baggage_and_acknowledged()
    {
        var stream = NewStream();
        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();

        ActivityTraceId producerTrace;
        using (var parent = TestSource.StartActivity("test-root"))
        {
            Baggage.SetBaggage("trading.order_id", "order-42");
            producerTrace = parent!.TraceId;
            await host.Publisher.PublishAsync(stream, new Ping("a", 1));
            Baggage.RemoveBaggage("trading.order_id");
        }

        await Eventually.True(() => Task.FromResult(!probe.Deliveries.IsEmpty), Timeout, "the delivery");
        var (message, traceId, baggage) = Assert.Single(probe.Deliveries);
        Assert.Equal(new Ping("a", 1), message.Body);
        Assert.Equal(1, message.DeliveryCount);
        Assert.Equal(producerTrace, traceId);
        Assert.Equal("order-42", baggage);

        await Eventually.True(async () => (await redis.Connection.GetDatabase().StreamPendingAsync(stream, "g")).PendingMessageCount == 0,
            Timeout, "the entry to be acknowledged");
        var send = await Eventually.Get(() => Task.FromResult(host.Collector.Spans.FirstOrDefault(s => s.DisplayName == $"send {stream}")), Timeout, "send span");
        var process = await Eventually.Get(() => Task.FromResult(host.Collector.Spans.FirstOrDefault(s => s.DisplayName == $"process {stream}")), Timeout, "process span");
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(producerTrace, process.TraceId);
        Assert.Equal("g", process.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(message.Id, process.GetTagItem("messaging.message.id"));
    }

    [Fact]
    public async Task Failing_handler_is_redelivered_with_a_growing_count_then_dead_lettered_with_its_trace()
    {
        var stream = NewStream();
        var probe = new HandlerProbe { Behaviour = _ => throw new InvalidOperationException("boom") };
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();

        ActivityTraceId traceId;
        using (var parent = TestSource.StartActivity("test-root"))
        {
            traceId = parent!.TraceId;
            await host.Publisher.PublishAsync(stream, new Ping("bad", 0));
        }

        var db = redis.Connection.GetDatabase();
        var dead = await Eventually.Get(async () => (await db.StreamRangeAsync(StreamFields.DeadLetterStream(stream))).Select(e => (StreamEntry?)e).FirstOrDefault() is { } e ? new Box<StreamEntry>(e) : null,
            Timeout, "the dead-letter entry");

        Assert.Equal([1, 2, 3], probe.Deliveries.Select(d => d.Message.DeliveryCount));
        Assert.Equal("3", dead.Value["dead.delivery_count"].ToString());
        Assert.Equal(traceId.ToHexString(), dead.Value["dead.trace_id"].ToString());
        Assert.Equal("InvalidOperationException", dead.Value["dead.error_type"].ToString());
        Assert.Contains("boom", dead.Value["dead.error"].ToString());
        Assert.Contains("\"id\":\"bad\"", dead.Value["payload"].ToString());
        Assert.Equal(0, (await db.StreamPendingAsync(stream, "g")).PendingMessageCount);
        var failed = host.Collector.Spans.Where(s => s.DisplayName == $"process {stream}").ToList();
        Assert.All(failed, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.All(failed, s => Assert.Equal(traceId, s.TraceId));
    }

    [Fact]
    public async Task Handler_that_recovers_is_acknowledged_after_one_redelivery()
    {
        var stream = NewStream();
        var attempts = 0;
        var probe = new HandlerProbe { Behaviour = _ => Interlocked.Increment(ref attempts) == 1 ? throw new TimeoutException("transient") : Task.CompletedTask };
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        await host.Publisher.PublishAsync(stream, new Ping("flaky", 1));

        var db = redis.Connection.GetDatabase();
        await Eventually.True(async () => probe.Deliveries.Count == 2 && (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0,
            Timeout, "the second delivery to succeed and be acknowledged");
        Assert.Equal(0, await db.StreamLengthAsync(StreamFields.DeadLetterStream(stream)));
    }

    [Fact]
    public async Task A_handler_waiting_on_something_transient_is_retried_past_max_deliveries_without_being_dead_lettered()
    {
        var stream = NewStream();
        var attempts = 0;
        // MaxDeliveries is 3 in this host: five transient failures must not send the entry to the dead-letter stream.
        var probe = new HandlerProbe
        {
            Behaviour = _ => Interlocked.Increment(ref attempts) <= 5 ? throw new TransientMessageException("venue away") : Task.CompletedTask,
        };
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        await host.Publisher.PublishAsync(stream, new Ping("patient", 1));

        var db = redis.Connection.GetDatabase();
        await Eventually.True(async () => probe.Deliveries.Count == 6 && (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0,
            Timeout, "the sixth attempt to succeed and be acknowledged");
        Assert.Equal(0, await db.StreamLengthAsync(StreamFields.DeadLetterStream(stream)));
        Assert.All(probe.Deliveries, d => Assert.Equal(1, d.Message.DeliveryCount));
    }

    [Fact]
    public async Task Entries_left_pending_by_a_dead_consumer_are_claimed_after_the_idle_time()
    {
        var stream = NewStream();
        var db = redis.Connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "g", "0", createStream: true);
        await db.StreamAddAsync(stream, [new NameValueEntry("payload", "{\"id\":\"orphan\",\"value\":7}")]);
        Assert.Single(await db.StreamReadGroupAsync(stream, "g", "dead-consumer", ">", 10));

        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();

        await Eventually.True(() => Task.FromResult(!probe.Deliveries.IsEmpty), Timeout, "the orphaned entry to be claimed");
        var delivery = Assert.Single(probe.Deliveries).Message;
        Assert.Equal("orphan", delivery.Body.Id);
        Assert.True(delivery.DeliveryCount >= 2);
        await Eventually.True(async () => (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0, Timeout, "the ack");
    }

    [Fact]
    public async Task A_handler_slower_than_the_claim_idle_time_keeps_its_entry_and_is_not_delivered_twice()
    {
        var stream = NewStream();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new HandlerProbe { Behaviour = _ => release.Task };
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        await host.Publisher.PublishAsync(stream, new Ping("slow", 1));
        await Eventually.True(() => Task.FromResult(probe.Deliveries.Count == 1), Timeout, "the delivery");

        // While the handler works, wait until its lease was renewed three times (the entry's idle time went
        // back down): each time, the housekeeper could have claimed it instead. It never was delivered again.
        var db = redis.Connection.GetDatabase();
        var (renewals, lastIdle) = (0, 0L);
        await Eventually.True(async () =>
        {
            var pending = Assert.Single(await db.StreamPendingMessagesAsync(stream, "g", 10, RedisValue.Null));
            Assert.Equal(1, pending.DeliveryCount);
            if (pending.IdleTimeInMilliseconds < lastIdle)
            {
                renewals++;
            }

            lastIdle = pending.IdleTimeInMilliseconds;
            return renewals >= 3;
        }, Timeout, "three lease renewals of the slow handler's entry");

        release.SetResult();
        await Eventually.True(async () => (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0, Timeout, "the ack");
        Assert.Single(probe.Deliveries);
    }

    [Fact]
    public async Task Consumers_of_dead_processes_are_removed_once_their_entries_are_reclaimed()
    {
        var stream = NewStream();
        var db = redis.Connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "g", "0", createStream: true);
        await db.StreamAddAsync(stream, "payload", "{\"id\":\"left\",\"value\":1}");
        // Two processes that died: one read an entry and never acknowledged it, one had nothing pending.
        Assert.Single(await db.StreamReadGroupAsync(stream, "g", "dead-with-entry", ">", 1));
        await db.StreamReadGroupAsync(stream, "g", "dead-idle", ">", 1);

        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe,
            new Dictionary<string, string?> { ["Messaging:ConsumerExpiry"] = "00:00:01" });
        await host.StartAsync();

        await Eventually.True(() => Task.FromResult(probe.Deliveries.Any(d => d.Message.Body.Id == "left")), Timeout, "the stranded entry to be reclaimed");
        await Eventually.True(async () => (await db.StreamConsumerInfoAsync(stream, "g")).Length == 1, Timeout, "only the live consumer to be left");
        var live = Assert.Single(await db.StreamConsumerInfoAsync(stream, "g"));
        Assert.DoesNotContain("dead", live.Name);
    }

    [Fact]
    public async Task Idle_consumer_makes_no_spans()
    {
        var stream = NewStream();
        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        var db = redis.Connection.GetDatabase();
        await Eventually.True(async () => (await db.StreamGroupInfoAsync(stream)).Length == 1, Timeout, "the consumer group");

        // Several block timeouts (0.5 s) and housekeeping rounds (0.2 s) pass with nothing to read.
        // (Other tests' consumers run meanwhile in this process: only spans of this stream count.)
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(host.Collector.Spans, s => s.DisplayName.Contains(stream, StringComparison.Ordinal)
            || Equals(s.GetTagItem("messaging.destination.name"), stream));

        await host.Publisher.PublishAsync(stream, new Ping("wake", 1));
        await Eventually.True(() => Task.FromResult(!probe.Deliveries.IsEmpty), Timeout, "the blocked reader to wake up");
    }

    [Fact]
    public async Task Trimming_keeps_every_entry_a_group_has_not_acknowledged()
    {
        var stream = NewStream();
        var db = redis.Connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "fast", "0", createStream: true);
        await db.StreamCreateConsumerGroupAsync(stream, "slow", "0");
        for (var i = 0; i < 300; i++)
        {
            await db.StreamAddAsync(stream, "n", i);
        }

        foreach (var entry in await db.StreamReadGroupAsync(stream, "fast", "c", ">", 300))
        {
            await db.StreamAcknowledgeAsync(stream, "fast", entry.Id);
        }

        var slowRead = await db.StreamReadGroupAsync(stream, "slow", "c", ">", 300);
        var options = new MessagingOptions { Retention = TimeSpan.FromMilliseconds(1) };
        var housekeeper = new StreamHousekeeper(redis.Connection, stream, "slow", options);

        await housekeeper.TrimAcknowledgedAsync();
        Assert.Equal(300, await db.StreamLengthAsync(stream));

        foreach (var entry in slowRead.Take(200))
        {
            await db.StreamAcknowledgeAsync(stream, "slow", entry.Id);
        }

        await housekeeper.TrimAcknowledgedAsync();
        var remaining = await db.StreamRangeAsync(stream);
        Assert.True(remaining.Length < 300, "acknowledged entries were trimmed");
        Assert.All(slowRead.Skip(200), unacked => Assert.Contains(remaining, e => e.Id == unacked.Id));
    }

}
