using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using StackExchange.Redis;
using TradingAspire.Messaging;
using TradingAspire.Tests.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.HostileInput;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class StreamEntryHostileInputTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly string ValidTraceparent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";

    private static Gen<(string Kind, NameValueEntry[] Fields)> Entry =>
        Gen.Select(
            Gen.Int[0, 1000].Select(v => (Kind: "valid", Payload: (string?)JsonSerializer.Serialize(new Ping($"p{v}", v), new JsonSerializerOptions(JsonSerializerDefaults.Web)))),
            Gen.OneOf<string?>("{not json", "null", "[]", "{\"id\":5}", "\"ping\"", "", new string('{', 5000), null)
                .Select(p => (Kind: "poison", Payload: p)),
            Gen.Bool,
            Gen.OneOf<string?>(null, ValidTraceparent, "garbage", "00-zz-yy-01", new string('0', 300), "00-00000000000000000000000000000000-0000000000000000-00"),
            Gen.OneOf<string?>(null, "trading.order_id=o1", "=;;,=", "k=" + new string('v', 10_000), "\u263a=\u263a"),
            Gen.String[0, 30].Array[0, 3],
            (valid, poison, pickValid, traceparent, baggage, extra) =>
            {
                var (kind, payload) = pickValid ? valid : poison;
                var fields = new List<NameValueEntry>();
                if (payload is not null)
                {
                    fields.Add(new("payload", payload));
                }

                if (traceparent is not null)
                {
                    fields.Add(new("traceparent", traceparent));
                }

                if (baggage is not null)
                {
                    fields.Add(new("baggage", baggage));
                }

                fields.AddRange(extra.Where(e => e.Length > 0 && e is not ("payload" or "traceparent" or "baggage")).Distinct().Select(e => new NameValueEntry(e, e)));
                if (fields.Count == 0)
                {
                    fields.Add(new("junk", "1"));
                }

                return (kind, fields.ToArray());
            });

    [Fact]
    public async Task Garbled_stream_entries_are_dead_lettered_valid_neighbours_are_processed_and_the_consumer_keeps_going()
    {
        var stream = "hostile." + Guid.NewGuid().ToString("N")[..8];
        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        var db = redis.Connection.GetDatabase();
        var valid = 0;
        var poison = 0;

        await Entry.SampleAsync(async sample =>
        {
            await db.StreamAddAsync(stream, sample.Fields);
            if (sample.Kind == "valid")
            {
                valid++;
            }
            else
            {
                poison++;
            }
        }, iter: 120, threads: 1);

        await Eventually.True(async () =>
                probe.Deliveries.Count == valid && await db.StreamLengthAsync(StreamFields.DeadLetterStream(stream)) == poison &&
                (await db.StreamPendingAsync(stream, "g")).PendingMessageCount == 0,
            TimeSpan.FromSeconds(30), $"{valid} deliveries and {poison} dead letters with nothing pending");

        // Still alive and well after all that.
        await host.Publisher.PublishAsync(stream, new Ping("after", 1));
        await Eventually.True(() => Task.FromResult(probe.Deliveries.Any(d => d.Message.Body.Id == "after")), TimeSpan.FromSeconds(10), "the next entry");
        Assert.All(await db.StreamRangeAsync(StreamFields.DeadLetterStream(stream)), e => Assert.Equal("poison_message", e["dead.error_type"].ToString()));

        // Counted, not assumed: every entry added is either processed, dead-lettered or still pending.
        var added = await db.StreamLengthAsync(stream);
        var processed = probe.Deliveries.Select(d => d.Message.Id).Distinct().Count(id => id != null) - 1; // the "after" entry
        var deadLettered = (int)await db.StreamLengthAsync(StreamFields.DeadLetterStream(stream));
        var pending = (int)(await db.StreamPendingAsync(stream, "g")).PendingMessageCount;
        var lost = (int)added - 1 - processed - deadLettered - pending;
        Assert.Equal(0, lost);
        HostileInputReport.Append("stream entries (orders.* consumers)", valid + poison, [("processed", processed), ("dead-lettered", deadLettered), ("lost", lost)]);
    }

    [Fact]
    public async Task An_entry_with_a_bad_traceparent_starts_a_new_trace_and_says_so()
    {
        var stream = "hostile." + Guid.NewGuid().ToString("N")[..8];
        var probe = new HandlerProbe();
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe);
        await host.StartAsync();
        await redis.Connection.GetDatabase().StreamAddAsync(stream,
            [new NameValueEntry("payload", "{\"id\":\"x\",\"value\":1}"), new NameValueEntry("traceparent", "00-not-a-trace-01")]);

        var process = await Eventually.Get(() => Task.FromResult(host.Collector.Spans.FirstOrDefault(s => s.DisplayName == $"process {stream}")),
            TimeSpan.FromSeconds(10), "the process span");
        Assert.Equal(default, process.ParentSpanId);
        Assert.Contains(process.Events, e => e.Name == "trace_context.invalid");
    }
}
