namespace TradingAspire.Tests.Support;

/// <summary>
/// Every test class says what it needs, as an xunit trait: <c>dotnet test --filter Category=Unit</c> runs
/// the tests that need nothing but .NET (no Redis, Chromium or Node.js; in-process Kestrel and DuckDB are
/// fine). A test (<c>TestCategoryTests</c>) holds every class to having exactly one.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";

    /// <summary>Plain .NET: logic, and in-process hosts (Kestrel on loopback, embedded DuckDB).</summary>
    public const string Unit = "Unit";

    /// <summary>Real processes: redis-server, the AppHost with every service, strace, Node.js.</summary>
    public const string Integration = "Integration";

    /// <summary>The trace page in a real Chromium (Playwright), on the real AppHost.</summary>
    public const string Browser = "Browser";
}
