using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Load;

/// <summary>The system under load: gateway and notification URLs, and how to make each client's API key.</summary>
public sealed record LoadTarget(Uri Gateway, Uri Notifications, string Secret, string Source)
{
    public string ApiKey(string clientId) => ClientKeys.Derive(Secret, clientId);

    /// <summary>
    /// The URLs and secret given on the command line, the rest from the endpoints file of an AppHost running here
    /// (found from the current directory or any parent); a clear error when neither names them.
    /// </summary>
    public static LoadTarget Resolve(LoadSettings settings)
    {
        LocalEndpoints? local = null;
        string? file = null;
        if (settings.Gateway is null || settings.Notifications is null || settings.Secret is null)
        {
            file = Find(settings.EndpointsFile) ?? throw new LoadSetupException(
                $"No running AppHost found: {settings.EndpointsFile} does not exist here or in a parent directory. " +
                "Start one with `dotnet run --project TradingAspire.AppHost`, or give --gateway, --notifications and --secret.");
            local = LocalEndpoints.FromJson(File.ReadAllText(file)) ?? throw new LoadSetupException($"{file} is empty.");
            if (!IsRunning(local.AppHostProcessId))
            {
                throw new LoadSetupException($"{file} was written by AppHost process {local.AppHostProcessId}, which is no longer running. Start the AppHost again.");
            }
        }

        return new LoadTarget(
            new Uri(settings.Gateway ?? local!.Gateway),
            new Uri(settings.Notifications ?? local!.Notification),
            settings.Secret ?? local!.ClientKeySecret,
            file is null ? "command line" : $"AppHost {local!.AppHostProcessId} ({file})");
    }

    private static string? Find(string relativePath)
    {
        if (Path.IsPathRooted(relativePath))
        {
            return File.Exists(relativePath) ? relativePath : null;
        }

        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The run cannot start; the message says what to do.</summary>
public sealed class LoadSetupException(string message) : Exception(message);
