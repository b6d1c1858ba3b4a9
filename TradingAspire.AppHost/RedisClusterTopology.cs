using System.Globalization;

namespace TradingAspire.AppHost;

/// <summary>A range of hash slots, both ends included.</summary>
public readonly record struct SlotRange(int Start, int End)
{
    public int Count => End - Start + 1;

    public bool Contains(int slot) => slot >= Start && slot <= End;

    public override string ToString() => Start == End ? Start.ToString(CultureInfo.InvariantCulture) : $"{Start}-{End}";
}

/// <summary>One line of <c>CLUSTER NODES</c>: a node as the node that answered sees it.</summary>
public sealed record ClusterNodeLine(
    string Id,
    string Host,
    int Port,
    int BusPort,
    IReadOnlySet<string> Flags,
    string? MasterId,
    long ConfigEpoch,
    bool Connected,
    IReadOnlyList<SlotRange> Slots)
{
    public bool IsMyself => Flags.Contains("myself");
    public bool IsMaster => Flags.Contains("master");
    public bool IsReplica => Flags.Contains("slave");
    public bool IsFailing => Flags.Contains("fail") || Flags.Contains("fail?");
    public bool InHandshake => Flags.Contains("handshake") || Flags.Contains("noaddr");
    public int SlotCount => Slots.Sum(s => s.Count);

    /// <summary>Whether the line names this address (host, client port and cluster-bus port).</summary>
    public bool IsAt(string host, int port, int busPort) => Host == host && Port == port && BusPort == busPort;
}

/// <summary>Reads what redis-server says about its cluster (<c>CLUSTER NODES</c>, <c>CLUSTER INFO</c>) and how slots are split.</summary>
public static class RedisClusterTopology
{
    public const int SlotCount = 16384;

    /// <summary>The slots master <paramref name="index"/> of <paramref name="masters"/> serves when the cluster is formed: an even split.</summary>
    public static SlotRange MasterSlots(int index, int masters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, masters);
        var start = (int)((long)SlotCount * index / masters);
        var end = (int)((long)SlotCount * (index + 1) / masters) - 1;
        return new SlotRange(start, end);
    }

    /// <summary>Parses <c>CLUSTER NODES</c>: <c>id ip:port@cport[,hostname] flags master ping pong epoch link slot…</c>.</summary>
    public static IReadOnlyList<ClusterNodeLine> ParseNodes(string text)
    {
        var nodes = new List<ClusterNodeLine>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8)
            {
                throw new FormatException($"Not a CLUSTER NODES line: '{line}'.");
            }

            var (host, port, busPort) = ParseAddress(fields[1]);
            var slots = fields.Skip(8)
                .Where(f => !f.StartsWith('[')) // [slot->-id] / [slot-<-id]: a slot being migrated, still served by this node
                .Select(ParseSlots)
                .ToList();
            nodes.Add(new ClusterNodeLine(
                fields[0],
                host,
                port,
                busPort,
                fields[2].Split(',').ToHashSet(),
                fields[3] == "-" ? null : fields[3],
                long.Parse(fields[6], CultureInfo.InvariantCulture),
                fields[7] == "connected",
                slots));
        }

        return nodes;
    }

    /// <summary>Parses <c>CLUSTER INFO</c> (or any <c>key:value</c> reply).</summary>
    public static IReadOnlyDictionary<string, string> ParseInfo(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1]);

    private static (string Host, int Port, int BusPort) ParseAddress(string field)
    {
        var address = field.Split(',')[0];
        var at = address.LastIndexOf('@');
        var hostPort = at < 0 ? address : address[..at];
        var busPort = at < 0 ? 0 : int.Parse(address[(at + 1)..], CultureInfo.InvariantCulture);
        var colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture), busPort);
    }

    private static SlotRange ParseSlots(string field)
    {
        var dash = field.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? new SlotRange(int.Parse(field, CultureInfo.InvariantCulture), int.Parse(field, CultureInfo.InvariantCulture))
            : new SlotRange(int.Parse(field[..dash], CultureInfo.InvariantCulture), int.Parse(field[(dash + 1)..], CultureInfo.InvariantCulture));
    }
}
