using Microsoft.Extensions.Options;
using TradingAspire.MarketPrices;

namespace TradingAspire.Strategy;

/// <summary>
/// Reads the consolidated book every <c>Strategy:EvaluationInterval</c>. Each new or changed quote that is not usable
/// (stale, too old, crossed) is counted by reason and triggers nothing; usable new quotes feed the imbalance signal;
/// every symbol's usable quotes feed the arbitrage detector. Each strategy acts at most once per its cooldown, and
/// what it acts on runs in the background (the loop never waits for an order).
/// </summary>
public sealed partial class StrategyLoop(
    ConsolidatedBook book,
    ArbitrageRunner arbitrage,
    SignalRunner signals,
    StrategyMetrics metrics,
    StrategyStats stats,
    IOptionsMonitor<StrategyOptions> options,
    ILogger<StrategyLoop> logger) : BackgroundService
{
    private readonly QuoteChanges changes = new();
    private DateTimeOffset nextArbitrage = DateTimeOffset.MinValue;
    private DateTimeOffset nextSignal = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            await Task.Delay(settings.Enabled ? settings.EvaluationInterval : TimeSpan.FromSeconds(1), stoppingToken)
                .ContinueWith(_ => { }, TaskScheduler.Default);
            if (settings.Enabled && !stoppingToken.IsCancellationRequested)
            {
                Evaluate(book.Current, DateTimeOffset.UtcNow, settings, stoppingToken);
            }
        }
    }

    private void Evaluate(BookSnapshot snapshot, DateTimeOffset now, StrategyOptions settings, CancellationToken stoppingToken)
    {
        stats.Evaluated();
        var fresh = changes.Next(snapshot, now, settings.MaxQuoteAge, (reason, quote) =>
        {
            metrics.Suppressed(reason, quote.Venue);
            stats.Suppressed(reason, quote.Venue);
        });
        if (fresh.Count == 0)
        {
            return; // nothing new: nothing can have changed an opportunity or a signal
        }

        if (settings.Arbitrage.Enabled && now >= nextArbitrage &&
            BestArbitrage(snapshot, now, settings) is { } opportunity)
        {
            nextArbitrage = now + settings.Arbitrage.Cooldown;
            stats.Arbitrage(opportunity);
            _ = Guard(arbitrage.RunAsync(opportunity, stoppingToken));
        }

        if (settings.Imbalance.Enabled && now >= nextSignal)
        {
            foreach (var quote in fresh)
            {
                if (ImbalanceSignal.Evaluate(quote, settings.Imbalance.Threshold) is { } signal &&
                    ArbitrageDetector.Quantity(settings.Imbalance.Notional, quote.Mid, 0) is > 0 and var quantity)
                {
                    nextSignal = now + settings.Imbalance.Cooldown;
                    stats.Signal(signal);
                    _ = Guard(signals.RunAsync(signal, quantity, stoppingToken));
                    break;
                }
            }
        }
    }

    private static ArbitrageOpportunity? BestArbitrage(BookSnapshot snapshot, DateTimeOffset now, StrategyOptions settings)
    {
        ArbitrageOpportunity? best = null;
        foreach (var symbol in snapshot.All.Select(q => q.Symbol).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var found = ArbitrageDetector.Find(snapshot.For(symbol), now, settings.MaxQuoteAge, settings.FeeBps,
                settings.Arbitrage.ThresholdBps, settings.Arbitrage.Notional);
            if (found is not null && (best is null || found.ExpectedEdgeBps > best.ExpectedEdgeBps))
            {
                best = found;
            }
        }

        return best;
    }

    private async Task Guard(Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            LogFailed(ex); // the strategy keeps running
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A strategy action failed")]
    private partial void LogFailed(Exception ex);
}
