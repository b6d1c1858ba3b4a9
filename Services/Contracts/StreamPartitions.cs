using System.Globalization;

namespace TradingAspire.Contracts;

/// <summary>
/// How the order streams are partitioned (configuration <c>Messaging:Partitions</c>, the same in every
/// service). A client belongs to one partition, by a stable hash of its id; every stream of the order
/// pipeline has one Redis stream per partition (<c>orders.new{p0}</c>, <c>orders.new{p1}</c>, …), and
/// every key of a client's orders carries its partition's hash tag (<c>order:{p1}:&lt;id&gt;</c>,
/// <c>risk:position:{p1}:&lt;client&gt;</c>). So everything one order's scripts touch — its keys, the
/// stream it is read from and the stream it is forwarded to, their dead letters and consumer groups —
/// sits in one Redis Cluster slot, and a client's orders stay in acceptance order on each stream.
/// The tags are chosen so that partition i's slot lies in the i-th of <see cref="Count"/> equal slot
/// ranges: a cluster whose masters own equal ranges (what <c>redis-cli --cluster create</c> makes)
/// gets the partitions spread evenly over its masters. Streams that are not partitioned (alerts,
/// feed health) are partition 0 of <see cref="Single"/>.
/// </summary>
public sealed class StreamPartitions
{
    public const int MaxCount = 64;

    /// <summary>One partition: the layout of a stream that is not partitioned.</summary>
    public static readonly StreamPartitions Single = new(1);

    private readonly string[] tags;

    public StreamPartitions(int count)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Messaging:Partitions must be between 1 and {MaxCount}.");
        }

        Count = count;
        tags = Enumerable.Range(0, count).Select(p => "{" + ChooseTag(p, count) + "}").ToArray();
    }

    public int Count { get; }

    /// <summary>The partition of <paramref name="clientId"/>: stable across processes, runs and machines.</summary>
    public int Of(string clientId) => Count == 1 ? 0 : RedisHashSlot.Crc16(clientId) % Count;

    /// <summary>The hash tag of a partition, braces included: <c>{p0}</c>.</summary>
    public string Tag(int partition) => tags[partition];

    public string TagOf(string clientId) => tags[Of(clientId)];

    /// <summary>The Redis stream of <paramref name="logical"/> (<c>orders.new</c>) for one partition.</summary>
    public string Stream(string logical, int partition) => logical + tags[partition];

    public string StreamOf(string logical, string clientId) => Stream(logical, Of(clientId));

    public IReadOnlyList<string> AllStreams(string logical) => tags.Select(t => logical + t).ToArray();

    /// <summary>The stream name without its partition tag: <c>orders.new{p1}</c> → <c>orders.new</c>.</summary>
    public static string Logical(string stream)
    {
        var open = stream.IndexOf('{', StringComparison.Ordinal);
        return open < 0 ? stream : stream[..open];
    }

    /// <summary>The tag of a partitioned stream, braces included (<c>orders.new{p1}</c> → <c>{p1}</c>); empty if it has none.</summary>
    public static string TagIn(string stream)
    {
        var open = stream.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : stream.IndexOf('}', open + 1);
        return close <= open + 1 ? "" : stream[open..(close + 1)];
    }

    /// <summary>
    /// Where a stream's dead letters go, in the stream's own slot: <c>orders.new{p0}</c> → <c>orders.new{p0}.dead</c>;
    /// a stream without a tag, <c>alerts</c> → <c>{alerts}.dead</c> (tag <c>alerts</c>: the slot of the key <c>alerts</c>).
    /// </summary>
    public static string DeadLetterStream(string stream) =>
        TagIn(stream).Length > 0 ? stream + ".dead" : "{" + stream + "}.dead";

    /// <summary><c>p&lt;i&gt;</c> if its slot is in partition i's range, else the first <c>p&lt;i&gt;.&lt;k&gt;</c> that is.</summary>
    private static string ChooseTag(int partition, int count)
    {
        for (var k = 0; ; k++)
        {
            var tag = k == 0
                ? string.Create(CultureInfo.InvariantCulture, $"p{partition}")
                : string.Create(CultureInfo.InvariantCulture, $"p{partition}.{k}");
            if ((long)RedisHashSlot.Of(tag) * count / RedisHashSlot.Count == partition)
            {
                return tag;
            }
        }
    }
}
