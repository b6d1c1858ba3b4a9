namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// The last N sequenced messages of one connection, as serialized bytes, for <c>replay</c>. Each slot
/// keeps its array and reuses it (it only grows), so storing a message allocates nothing once warm.
/// Not thread-safe: the session calls it under its lock.
/// </summary>
internal sealed class ReplayRing(int capacity)
{
    private readonly byte[][] slots = new byte[Math.Max(capacity, 1)][];
    private readonly int[] lengths = new int[Math.Max(capacity, 1)];

    public int Capacity => slots.Length;

    /// <summary>The highest seq stored (0 when empty).</summary>
    public long LastSeq { get; private set; }

    /// <summary>The lowest seq still held (LastSeq + 1 when empty).</summary>
    public long OldestSeq => Math.Max(1, LastSeq - slots.Length + 1);

    /// <summary>Stores message <paramref name="seq"/>, which must be <see cref="LastSeq"/> + 1.</summary>
    public void Store(long seq, ReadOnlySpan<byte> message)
    {
        if (seq != LastSeq + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seq), seq, $"Expected seq {LastSeq + 1}.");
        }

        var at = (int)(seq % slots.Length);
        var slot = slots[at];
        if (slot is null || slot.Length < message.Length)
        {
            slot = slots[at] = new byte[Math.Max(256, message.Length)];
        }

        message.CopyTo(slot);
        lengths[at] = message.Length;
        LastSeq = seq;
    }

    public bool TryGet(long seq, out ReadOnlySpan<byte> message)
    {
        if (seq < OldestSeq || seq > LastSeq)
        {
            message = default;
            return false;
        }

        var at = (int)(seq % slots.Length);
        message = slots[at].AsSpan(0, lengths[at]);
        return true;
    }
}
