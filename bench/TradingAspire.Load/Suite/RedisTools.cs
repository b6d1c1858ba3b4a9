using System.Diagnostics;
using System.Globalization;

namespace TradingAspire.Load.Suite;

/// <summary>redis-benchmark's figures for one command.</summary>
public sealed record RedisBenchmarkResult(double OpsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// Redis through its own command-line tools (<c>redis-benchmark</c>, <c>redis-cli</c>; installed with redis-server):
/// the XADD limit, and the server's command counters. The password goes in the environment (REDISCLI_AUTH) where the
/// tool reads it, not on the command line.
/// </summary>
public sealed class RedisTools(string host, int port, string? password)
{
    public int Port => port;

    /// <summary>From a StackExchange.Redis connection string (<c>host:port,password=...</c>) and optionally another port.</summary>
    public static RedisTools FromConnectionString(string connectionString, int? port = null)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpoint = parts[0];
        var colon = endpoint.LastIndexOf(':');
        var host = colon > 0 ? endpoint[..colon] : endpoint;
        var parsedPort = colon > 0 ? int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture) : 6379;
        var password = parts.Skip(1).FirstOrDefault(p => p.StartsWith("password=", StringComparison.OrdinalIgnoreCase))?["password=".Length..];
        return new RedisTools(host == "localhost" ? "127.0.0.1" : host, port ?? parsedPort, password);
    }

    /// <summary>One per endpoint of the connection string: the single Redis, or every master a cluster's connection string lists.</summary>
    public static IReadOnlyList<RedisTools> AllFromConnectionString(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var options = string.Join(',', parts.Where(p => p.Contains('=', StringComparison.Ordinal)));
        return parts.Where(p => !p.Contains('=', StringComparison.Ordinal)).Select(endpoint => FromConnectionString(endpoint + "," + options)).ToList();
    }

    /// <summary>
    /// <paramref name="key"/> on a single Redis; on a cluster node, the first <c>key-n</c> whose slot this node serves
    /// (<c>CLUSTER NODES</c>), so redis-benchmark's XADDs are not redirected.
    /// </summary>
    public async Task<string> KeyServedHereAsync(string key, CancellationToken cancellationToken)
    {
        string nodes;
        try
        {
            nodes = await CommandAsync(cancellationToken, "CLUSTER", "NODES");
        }
        catch (InvalidOperationException)
        {
            return key; // "ERR This instance has cluster support disabled"
        }

        var ranges = nodes.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.Contains("myself", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ').Skip(8)).Where(r => !r.StartsWith('['))
            .Select(r => r.Split('-')).Select(r => (From: int.Parse(r[0], CultureInfo.InvariantCulture), To: int.Parse(r[^1], CultureInfo.InvariantCulture))).ToList();
        for (var n = 0; ; n++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{key}-{n}");
            var slot = TradingAspire.Contracts.RedisHashSlot.Of(candidate);
            if (ranges.Any(r => r.From <= slot && slot <= r.To))
            {
                return candidate;
            }

            if (n > 100_000 || ranges.Count == 0)
            {
                throw new InvalidOperationException($"This cluster node serves no slot: {nodes}");
            }
        }
    }

    /// <summary><c>redis-benchmark -c clients -n requests -P 1 XADD key * f v</c>, then the key is deleted.</summary>
    public async Task<RedisBenchmarkResult> XaddAsync(string key, int clients, int requests, CancellationToken cancellationToken)
    {
        var output = await RunAsync("redis-benchmark",
            ["-c", Text(clients), "-n", Text(requests), "-P", "1", "--csv", "XADD", key, "*", "f", "v"], cancellationToken);
        await CommandAsync(cancellationToken, "DEL", key);
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => line.StartsWith("\"XADD", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"redis-benchmark printed no XADD result: {output}");
        var cells = row.Split(',').Select(c => c.Trim('"')).ToArray();
        return new RedisBenchmarkResult(Number(cells[1]), Number(cells[4]), Number(cells[6]));
    }

    public Task ResetStatsAsync(CancellationToken cancellationToken) => CommandAsync(cancellationToken, "CONFIG", "RESETSTAT");

    /// <summary>Calls per command since the last reset (<c>INFO commandstats</c>), without the suite's own INFO/CONFIG.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CommandCallsAsync(CancellationToken cancellationToken)
    {
        var info = await CommandAsync(cancellationToken, "INFO", "commandstats");
        return ParseCommandStats(info);
    }

    /// <summary>Calls per command from <c>INFO commandstats</c>'s text, leaving out INFO and CONFIG (the suite's own).</summary>
    public static IReadOnlyDictionary<string, long> ParseCommandStats(string info)
    {
        var calls = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            // cmdstat_xadd:calls=123,usec=456,usec_per_call=3.71,rejected_calls=0,failed_calls=0
            var at = line.IndexOf(":calls=", StringComparison.Ordinal);
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal) || at < 0)
            {
                continue;
            }

            var name = line["cmdstat_".Length..at];
            if (name is "info" or "config" or "config|resetstat")
            {
                continue;
            }

            var value = line[(at + ":calls=".Length)..];
            calls[name] = long.Parse(value[..value.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        }

        return calls;
    }

    private Task<string> CommandAsync(CancellationToken cancellationToken, params string[] command) =>
        RunAsync("redis-cli", command, cancellationToken);

    private async Task<string> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-h", host, "-p", Text(port), .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        if (password is not null)
        {
            // redis-cli reads REDISCLI_AUTH; redis-benchmark (7.0) only takes -a.
            info.Environment["REDISCLI_AUTH"] = password;
            if (tool == "redis-benchmark")
            {
                info.ArgumentList.Insert(4, "-a");
                info.ArgumentList.Insert(5, password);
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        // Not on a terminal, redis-cli prints replies raw: an error reply is its text ("ERR ...", "NOAUTH ...", "WRONGPASS ...").
        if (process.ExitCode != 0 || output.StartsWith("ERR", StringComparison.Ordinal) || output.StartsWith("NOAUTH", StringComparison.Ordinal) ||
            output.StartsWith("WRONGPASS", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output} {await stderr}");
        }

        return output;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
