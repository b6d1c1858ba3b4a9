using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// One loop per configured venue: every tick (<c>Exchanges:Feed:TickMs</c>) it reads the venue's fault,
/// takes the venue's quotes from <see cref="PriceWalk"/> once (the prices the venue fills against) and
/// has every logged-in connection send what its rate owes since the previous tick. A venue that is down
/// (<see cref="VenueFaults"/>) loses every connection. One venue's loop never waits on another's.
/// </summary>
public sealed partial class VenueFeedPublisher(
    VenueFeeds feeds,
    PriceWalk walk,
    FeedFaults feedFaults,
    VenueFaults venueFaults,
    IOptionsMonitor<ExchangeOptions> exchanges,
    IOptionsMonitor<FeedOptions> feedOptions,
    ILogger<VenueFeedPublisher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(exchanges.CurrentValue.Venues.Keys.Select(venue => feeds.For(venue)).OfType<VenueFeed>()
            .Select(feed => Task.Run(() => RunAsync(feed, stoppingToken), stoppingToken)));

    private async Task RunAsync(VenueFeed feed, CancellationToken stoppingToken)
    {
        var random = new Random();
        var quotes = new VenueQuote[feed.Symbols.Count];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, feedOptions.CurrentValue.TickMs)));
        var last = Stopwatch.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var elapsed = Stopwatch.GetElapsedTime(last, now).TotalSeconds;
                last = now;
                try
                {
                    Tick(feed, quotes, random, now, elapsed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTickFailed(feed.Name, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tick(VenueFeed feed, VenueQuote[] quotes, Random random, long now, double elapsed)
    {
        var fault = feedFaults.For(feed.Name);
        feed.Fault = fault;
        var sessions = feed.Sessions;
        if (sessions.Length == 0)
        {
            return;
        }

        if (venueFaults.For(feed.Name).Down)
        {
            feed.AbortAll();
            return;
        }

        if (!exchanges.CurrentValue.Venues.TryGetValue(feed.Name, out var settings))
        {
            return;
        }

        for (var i = 0; i < quotes.Length; i++)
        {
            quotes[i] = walk.Quote(feed.Name, feed.Symbols[i], settings);
        }

        var options = feedOptions.CurrentValue;
        var tick = new PumpTick(now, elapsed, Math.Max(0, fault.MessagesPerSecond ?? options.MessagesPerSecond), Math.Clamp(options.TradeShare, 0, 1),
            fault.Stale, fault.DropProbability, Math.Max(1, options.HeartbeatMs) * Stopwatch.Frequency / 1000, quotes, random, options.Backpressure);
        foreach (var session in sessions)
        {
            session.Pump(tick);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Venue} feed's tick failed")]
    private partial void LogTickFailed(string venue, Exception ex);
}
