using System.Text;

namespace TradingAspire.Contracts;

/// <summary>
/// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its hash tag — the text
/// between the first <c>{</c> and the next <c>}</c>, when not empty — modulo 16384. Keys with the same
/// tag live in one slot, so one script or transaction may touch them all on a cluster.
/// </summary>
public static class RedisHashSlot
{
    public const int Count = 16384;

    public static int Of(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        return Crc16(key) % Count;
    }

    /// <summary>CRC16 (XMODEM) of the whole text's UTF-8 bytes: no hash-tag rule.</summary>
    public static int Crc16(string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Encoding.UTF8.GetByteCount(text) <= buffer.Length
            ? Crc16(buffer[..Encoding.UTF8.GetBytes(text, buffer)])
            : Crc16(Encoding.UTF8.GetBytes(text));
    }

    private static int Crc16(ReadOnlySpan<byte> bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            crc &= 0xFFFF;
        }

        return crc;
    }
}
