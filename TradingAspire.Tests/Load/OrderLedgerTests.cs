using TradingAspire.Load;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.Load;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OrderLedgerTests
{
    private readonly List<(string OrderId, string Status, long Timestamp)> completed = [];

    private OrderLedger NewLedger() => new((order, status, timestamp) =>
    {
        lock (completed)
        {
            completed.Add((order.OrderId, status, timestamp));
        }
    });

    [Fact]
    public void An_outcome_that_arrives_before_the_202_is_paired_with_it_at_its_own_arrival_time()
    {
        var ledger = NewLedger();

        ledger.Outcome("ord-1", "Filled", 42);
        Assert.Empty(completed);
        ledger.Accepted(new PendingOrder("ord-1", "load-000", 1, Measured: true));

        Assert.Equal([("ord-1", "Filled", 42L)], completed);
        Assert.Equal(0, ledger.Pending);
    }

    [Fact]
    public void An_accepted_order_waits_for_its_outcome_and_is_settled_once()
    {
        var ledger = NewLedger();
        ledger.Accepted(new PendingOrder("ord-1", "load-000", 1, Measured: true));
        Assert.Equal(1, ledger.Pending);

        ledger.Outcome("ord-1", "Rejected", 7);

        Assert.Equal([("ord-1", "Rejected", 7L)], completed);
        Assert.False(ledger.SettleWithoutNotification("ord-1"));
        Assert.Empty(ledger.Outstanding());
    }

    [Fact]
    public void An_order_without_an_outcome_stays_outstanding_until_settled_by_asking_the_gateway()
    {
        var ledger = NewLedger();
        ledger.Accepted(new PendingOrder("ord-1", "load-000", 1, Measured: false));

        Assert.Equal("ord-1", Assert.Single(ledger.Outstanding()).OrderId);
        Assert.True(ledger.SettleWithoutNotification("ord-1"));
        Assert.Empty(completed);
        Assert.Equal(0, ledger.Pending);
    }

    [Fact]
    public async Task Accepts_and_outcomes_racing_on_two_threads_pair_every_order_exactly_once()
    {
        var ledger = NewLedger();
        const int orders = 20_000;
        using var start = new Barrier(2);
        var accepts = Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < orders; i++)
            {
                ledger.Accepted(new PendingOrder($"ord-{i}", "load-000", i, Measured: true));
            }
        });
        var outcomes = Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < orders; i++)
            {
                ledger.Outcome($"ord-{i}", "Filled", i);
            }
        });
        await Task.WhenAll(accepts, outcomes);

        Assert.Equal(orders, completed.Count);
        Assert.Equal(orders, completed.Select(c => c.OrderId).Distinct().Count());
        Assert.Equal(0, ledger.Pending);
    }
}
