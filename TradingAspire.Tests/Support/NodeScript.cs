using System.Diagnostics;

namespace TradingAspire.Tests.Support;

/// <summary>
/// A foreign client written in JavaScript: a folder copied to the test output (package.json and scripts,
/// see the csproj), its npm packages installed there on first use (a clean clone has none), run with the
/// <c>node</c> on PATH (<c>./tradingaspire test</c> installs Node.js and npm when missing).
/// </summary>
public sealed class NodeScript(string folder)
{
    public string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Integration", folder);

    /// <summary>Runs <c>npm install</c> unless <paramref name="package"/> is already under node_modules.</summary>
    public async Task EnsureInstalledAsync(string package)
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", package)))
        {
            return;
        }

        var install = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>());
        Assert.True(install.ExitCode == 0, $"npm install in {Directory} failed: {install.Output}");
    }

    /// <summary>Runs <c>node <paramref name="script"/></c> in the folder with <paramref name="environment"/> added.</summary>
    public Task<(int ExitCode, string Output)> RunScriptAsync(string script, IDictionary<string, string> environment) =>
        RunAsync("node", [script], environment);

    private async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
