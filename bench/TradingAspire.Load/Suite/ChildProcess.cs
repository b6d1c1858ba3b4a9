using System.Diagnostics;
using Spectre.Console;

namespace TradingAspire.Load.Suite;

/// <summary>Runs a built .NET program to its end: every line to a log file, the lines <c>show</c> picks to the console.</summary>
public static class ChildProcess
{
    public static async Task<int> RunDotnetAsync(
        string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath,
        Func<string, bool> show, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logPath)!,
        };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        await using var log = new StreamWriter(logPath) { AutoFlush = true };
        using var process = new Process { StartInfo = info };
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
            }

            if (show(line))
            {
                AnsiConsole.MarkupLine($"    [grey]{Markup.Escape(line.Trim())}[/]");
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
