using CsCheck;
using OpenTelemetry.Proto.Trace.V1;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>The forward queue never waits, never holds more than its maximum, and makes room by dropping the oldest.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ForwardQueueTests
{
    private static ForwardItem Item(int spans, int id = 0) => new([new ResourceSpans { SchemaUrl = $"item-{id}" }], spans);

    private static string Id(ForwardItem item) => item.ResourceSpans[0].SchemaUrl;

    [Fact]
    public void A_full_queue_drops_its_oldest_items_to_take_a_new_one_and_says_how_many_spans_it_dropped()
    {
        var queue = new ForwardQueue(maxSpans: 10);
        Assert.Equal(0, queue.Add(Item(4, 1)));
        Assert.Equal(0, queue.Add(Item(4, 2)));

        var dropped = queue.Add(Item(5, 3)); // 13 > 10: item 1 goes

        Assert.Equal(4, dropped);
        Assert.Equal(9, queue.Spans);
        Assert.Equal(["item-2", "item-3"], queue.Take(100).Select(Id));
        Assert.Equal(0, queue.Spans);
    }

    [Fact]
    public void An_item_bigger_than_the_whole_queue_is_dropped_itself_and_the_queue_keeps_what_it_had()
    {
        var queue = new ForwardQueue(maxSpans: 10);
        queue.Add(Item(3, 1));

        Assert.Equal(11, queue.Add(Item(11, 2)));

        Assert.Equal(3, queue.Spans);
        Assert.Equal(["item-1"], queue.Take(100).Select(Id));
    }

    [Fact]
    public void A_batch_takes_whole_items_oldest_first_up_to_its_size_but_always_at_least_one()
    {
        var queue = new ForwardQueue(maxSpans: 200);
        queue.Add(Item(30, 1));
        queue.Add(Item(30, 2));
        queue.Add(Item(50, 3));

        Assert.Equal(["item-1", "item-2"], queue.Take(70).Select(Id)); // item 3 would make 110
        Assert.Equal(["item-3"], queue.Take(20).Select(Id)); // bigger than the batch: alone
        Assert.Empty(queue.Take(20));
    }

    [Fact]
    public async Task Waiting_completes_when_an_item_arrives_and_at_once_while_items_wait()
    {
        var queue = new ForwardQueue(maxSpans: 10);
        var waiting = queue.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.Add(Item(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        await queue.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // still there
        queue.Take(10);
        Assert.False(queue.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void Whatever_is_added_and_taken_the_queue_stays_bounded_keeps_order_and_accounts_for_every_span()
    {
        var operations = Gen.OneOf(
            Gen.Int[1, 40].Select(spans => (Add: true, Size: spans)),
            Gen.Int[1, 60].Select(batch => (Add: false, Size: batch))).List[0, 200];

        operations.Sample(ops =>
        {
            var queue = new ForwardQueue(maxSpans: 50);
            long added = 0, dropped = 0, taken = 0;
            var next = 0;
            var lastTaken = -1;
            foreach (var (add, size) in ops)
            {
                if (add)
                {
                    added += size;
                    dropped += queue.Add(Item(size, next++));
                }
                else
                {
                    foreach (var item in queue.Take(size))
                    {
                        var id = int.Parse(Id(item)["item-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                        Assert.True(id > lastTaken, "items leave in the order they came");
                        lastTaken = id;
                        taken += item.Spans;
                    }
                }

                Assert.InRange(queue.Spans, 0, queue.MaxSpans);
                Assert.Equal(added, taken + dropped + queue.Spans);
            }
        });
    }
}
