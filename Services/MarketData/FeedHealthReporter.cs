using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.MarketData;

/// <summary>
/// Every <c>HealthReportInterval</c>: one <see cref="FeedHealthReport"/> per venue (the interval's counts, its
/// latency p50/p99/max from the HdrHistogram, time connected, the current session's trace id) XADDed to
/// <c>marketdata.health</c>, capped with MAXLEN ~. One pipelined batch per interval and no spans (a report is
/// housekeeping, not a trace of its own); the entry has the messaging library's payload and type fields.
/// </summary>
public sealed partial class FeedHealthReporter(
    FeedRegistry registry,
    IConnectionMultiplexer redis,
    IOptions<MarketDataOptions> options,
    ILogger<FeedHealthReporter> logger) : BackgroundService
{
    private readonly Dictionary<string, (FeedCountersSnapshot Counters, double ConnectedSeconds)> previous = [];
    private DateTimeOffset intervalStart = DateTimeOffset.UtcNow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HealthReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PublishAsync(Collect());
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    LogFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The reports of the interval that ends now (and starts the next).</summary>
    public IReadOnlyList<FeedHealthReport> Collect()
    {
        var end = DateTimeOffset.UtcNow;
        var o = options.Value;
        var reports = new List<FeedHealthReport>();
        foreach (var feed in registry.All)
        {
            var counters = feed.Counters.Read();
            var connected = feed.ConnectedSecondsTotal();
            var (before, connectedBefore) = previous.GetValueOrDefault(feed.Venue);
            previous[feed.Venue] = (counters, connected);
            var delta = counters - before;
            var (p50, p99, max) = feed.Latency.TakeInterval();
            reports.Add(new FeedHealthReport(
                feed.Venue, intervalStart, end, feed.State(o.StaleAfter, o.GapDegradedFor),
                Math.Round(connected - connectedBefore, 3),
                delta.Messages, p50, p99, max,
                delta.Gaps, delta.GapMessages, delta.GapsRecovered, delta.Disconnects, delta.Reconnects,
                delta.OutOfOrder, delta.CrossedQuotes, delta.Malformed,
                feed.StaleSymbols(o.StaleAfter),
                feed.SessionTraceId,
                feed.LastDisconnectReason));
        }

        intervalStart = end;
        return reports;
    }

    private async Task PublishAsync(IReadOnlyList<FeedHealthReport> reports)
    {
        if (reports.Count == 0)
        {
            return;
        }

        using (SuppressInstrumentationScope.Begin())
        {
            var db = redis.GetDatabase();
            var batch = db.CreateBatch();
            var adds = new Task[reports.Count];
            for (var i = 0; i < reports.Count; i++)
            {
                adds[i] = batch.StreamAddAsync(Streams.MarketDataHealth,
                [
                    new NameValueEntry(StreamFields.Payload, JsonSerializer.Serialize(reports[i], TradingJson.Options)),
                    new NameValueEntry(StreamFields.Type, nameof(FeedHealthReport)),
                ], maxLength: options.Value.HealthStreamMaxLength, useApproximateMaxLength: true);
            }

            batch.Execute();
            await Task.WhenAll(adds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing feed-health reports failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
