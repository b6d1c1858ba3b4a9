using System.Security.Cryptography;
using System.Text;

namespace TradingAspire.TraceAnalytics.Access;

/// <summary>Compares a presented key with the configured one without leaking either through timing.</summary>
public static class KeyComparison
{
    /// <summary>Constant-time: both sides are hashed first, so neither content nor length leaks.</summary>
    public static bool FixedTimeMatches(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
