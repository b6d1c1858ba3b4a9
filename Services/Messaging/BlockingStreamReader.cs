using System.Globalization;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Reads new entries with a blocking <c>XREADGROUP … BLOCK</c> on a connection of its own.
/// StackExchange.Redis multiplexes every command of a connection over one socket, so a blocking
/// read would stall everything else sharing it; here it shares with nothing, and it is not
/// instrumented, so an idle consumer makes no spans at all while a new entry wakes it at once.
/// </summary>
internal sealed class BlockingStreamReader(string connectionString, string stream, string group, string consumer) : IAsyncDisposable
{
    private ConnectionMultiplexer? connection;

    public async Task ConnectAsync(TimeSpan blockTime)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.UseThreadPool();
        options.ClientName = $"{consumer}-reader";
        // A blocking read may legitimately take BlockTime; give the client room before it calls it a timeout.
        var timeout = (int)Math.Max(options.AsyncTimeout, blockTime.TotalMilliseconds + 5000);
        options.AsyncTimeout = timeout;
        options.SyncTimeout = timeout;
        connection = await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>Entries never delivered to any consumer of the group (<c>&gt;</c>), waiting up to <paramref name="block"/>.</summary>
    public Task<IReadOnlyList<RawStreamEntry>> ReadNewAsync(int count, TimeSpan block) =>
        ReadAsync(">", count, block);

    /// <summary>Entries already delivered to this consumer and not yet acknowledged (after a restart).</summary>
    public Task<IReadOnlyList<RawStreamEntry>> ReadOwnPendingAsync(string afterId, int count) =>
        ReadAsync(afterId, count, block: null);

    private async Task<IReadOnlyList<RawStreamEntry>> ReadAsync(string id, int count, TimeSpan? block)
    {
        var db = (connection ?? throw new InvalidOperationException("Not connected.")).GetDatabase();
        var args = new List<object> { "GROUP", group, consumer, "COUNT", count.ToString(CultureInfo.InvariantCulture) };
        if (block is { } b)
        {
            args.Add("BLOCK");
            args.Add(((long)b.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        args.AddRange(["STREAMS", stream, id]);
        var result = await db.ExecuteAsync("XREADGROUP", args);
        return Parse(result);
    }

    /// <summary>Parses <c>[[stream, [[id, [f, v, …]], …]]]</c>; a timed-out BLOCK answers nil.</summary>
    internal static IReadOnlyList<RawStreamEntry> Parse(RedisResult result)
    {
        if (result.IsNull || result.Resp2Type != ResultType.Array)
        {
            return [];
        }

        var entries = new List<RawStreamEntry>();
        foreach (var streamResult in (RedisResult[])result!)
        {
            var pair = (RedisResult[])streamResult!;
            if (pair.Length < 2 || pair[1].IsNull)
            {
                continue;
            }

            foreach (var entryResult in (RedisResult[])pair[1]!)
            {
                var entry = (RedisResult[])entryResult!;
                var id = entry[0].ToString();
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                if (entry.Length > 1 && !entry[1].IsNull)
                {
                    var flat = (RedisResult[])entry[1]!;
                    for (var i = 0; i + 1 < flat.Length; i += 2)
                    {
                        fields[flat[i].ToString()] = flat[i + 1].ToString();
                    }
                }

                entries.Add(new RawStreamEntry(id, fields));
            }
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.CloseAsync();
            connection.Dispose();
        }
    }
}
