using System.Globalization;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// A trace id's place in [0, 1), the same on every decision and every process: the id's low 64 bits (random in
/// W3C trace ids) mixed by SplitMix64's finalizer, so it does not line up with a head sampler's ratio on the raw bits.
/// </summary>
public static class TraceSampleHash
{
    public static double Fraction(string traceId)
    {
        ulong bits;
        if (traceId.Length < 16 || !ulong.TryParse(traceId.AsSpan(traceId.Length - 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bits))
        {
            bits = 14695981039346656037UL; // FNV-1a of an odd id
            foreach (var c in traceId)
            {
                bits = (bits ^ c) * 1099511628211UL;
            }
        }

        bits ^= bits >> 30;
        bits *= 0xbf58476d1ce4e5b9UL;
        bits ^= bits >> 27;
        bits *= 0x94d049bb133111ebUL;
        bits ^= bits >> 31;
        return (bits >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Whether the trace falls in the kept share.</summary>
    public static bool InShare(string traceId, double share) => share >= 1 || Fraction(traceId) < share;
}
