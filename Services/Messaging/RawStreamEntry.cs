using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>An entry as read from Redis: its id and fields (no fields when it was deleted meanwhile).</summary>
public sealed record RawStreamEntry(string Id, IReadOnlyDictionary<string, string> Fields)
{
    public static RawStreamEntry From(StreamEntry entry) =>
        new(entry.Id.ToString(), ToDictionary(entry.Values ?? []));

    internal static Dictionary<string, string> ToDictionary(NameValueEntry[] values)
    {
        var fields = new Dictionary<string, string>(values.Length, StringComparer.Ordinal);
        foreach (var v in values)
        {
            fields[v.Name.ToString()] = v.Value.ToString();
        }

        return fields;
    }
}
