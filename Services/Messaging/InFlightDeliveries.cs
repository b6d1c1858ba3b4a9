using System.Collections.Concurrent;

namespace TradingAspire.Messaging;

/// <summary>
/// The entries a consumer is working on, at most <see cref="MessagingOptions.MaxConcurrency"/> at once:
/// a slot is reserved before an entry is read or claimed, taken by <see cref="Start"/>, and given back
/// when its delivery ends. An entry already in flight (read again after a reclaim) is not started twice.
/// </summary>
internal sealed class InFlightDeliveries(int capacity, Func<Delivery, CancellationToken, Task> deliver) : IDisposable
{
    private readonly SemaphoreSlim slots = new(capacity, capacity);
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource handlerStop = new();

    public IReadOnlyCollection<string> Ids => running.Keys.ToArray();

    public bool Contains(string entryId) => running.ContainsKey(entryId);

    /// <summary>Waits for one free slot, then also takes every other slot free right now; returns how many it holds.</summary>
    public async Task<int> ReserveAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        var reserved = 1;
        while (slots.Wait(0))
        {
            reserved++;
        }

        return reserved;
    }

    /// <summary>Waits for exactly one free slot.</summary>
    public Task ReserveOneAsync(CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    /// <summary>Gives back reserved slots that were not used.</summary>
    public void Release(int count)
    {
        if (count > 0)
        {
            slots.Release(count);
        }
    }

    /// <summary>Starts delivering <paramref name="entry"/> on a slot the caller reserved.</summary>
    public void Start(RawStreamEntry entry, int deliveryCount)
    {
        if (running.ContainsKey(entry.Id))
        {
            slots.Release();
            return;
        }

        var task = Task.Run(() => deliver(new Delivery(entry, deliveryCount), handlerStop.Token));
        running[entry.Id] = task;
        _ = task.ContinueWith(
            _ =>
            {
                running.TryRemove(entry.Id, out Task? _);
                slots.Release();
            },
            TaskScheduler.Default);
    }

    /// <summary>Lets running deliveries finish; whatever still runs after <paramref name="timeout"/> is cancelled (it stays pending).</summary>
    public async Task DrainAsync(TimeSpan timeout, Action<int> draining)
    {
        var tasks = running.Values.ToArray();
        if (tasks.Length == 0)
        {
            return;
        }

        draining(tasks.Length);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await handlerStop.CancelAsync();
        }
        catch
        {
            // each delivery logged its own failure where it happened
        }
    }

    public void Dispose()
    {
        handlerStop.Dispose();
        slots.Dispose();
    }
}
