using System.Globalization;

namespace TradingAspire.Messaging;

/// <summary>A Redis stream entry id is <c>&lt;unix-ms&gt;-&lt;seq&gt;</c>: the time the entry was added.</summary>
public static class StreamEntryId
{
    public static bool TryGetTimestamp(string? id, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        var dash = id.IndexOf('-');
        var millis = dash < 0 ? id : id[..dash];
        if (!long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        timestamp = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    /// <summary>The smallest id at or after the given time, for <c>XTRIM MINID</c>.</summary>
    public static string FromTimestamp(DateTimeOffset at) =>
        at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "-0";

    /// <summary>Compares two ids numerically (ms, then sequence).</summary>
    public static int Compare(string a, string b)
    {
        var (aMs, aSeq) = Split(a);
        var (bMs, bSeq) = Split(b);
        var c = aMs.CompareTo(bMs);
        return c != 0 ? c : aSeq.CompareTo(bSeq);
    }

    private static (ulong Ms, ulong Seq) Split(string id)
    {
        var dash = id.IndexOf('-');
        if (dash < 0)
        {
            return (ulong.Parse(id, CultureInfo.InvariantCulture), 0);
        }

        return (ulong.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture),
                ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }
}
