namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trace-analytics-tests", Guid.NewGuid().ToString("n"));

    public string DatabasePath => System.IO.Path.Combine(Path, "traces.duckdb");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
