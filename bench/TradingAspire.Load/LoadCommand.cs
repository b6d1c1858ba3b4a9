using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TradingAspire.Load;

/// <summary>
/// Drives the gateway open loop for warm-up + duration seconds, follows every accepted order to its final outcome
/// (notification stream, then the gateway for any not seen), and reports. Exit code 0 when no accepted order was
/// lost, 3 when some were, 2 when the run could not start.
/// </summary>
public sealed class LoadCommand : AsyncCommand<LoadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LoadSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return (await RunAsync(settings, cancellationToken)).ExitCode;
        }
        catch (LoadSetupException ex)
        {
            AnsiConsole.MarkupLine($"[red]Cannot run:[/] {Markup.Escape(ex.Message)}");
            return 2;
        }
    }

    /// <summary>One whole run: returns the exit code and what was measured (also printed and written to disk).</summary>
    public static async Task<(int ExitCode, LoadSummary Summary)> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Plain || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        var target = LoadTarget.Resolve(settings);
        using var http = LoadHttp.Client(TimeSpan.FromSeconds(30), settings.MaxConnections);
        using var streams = LoadHttp.Client(Timeout.InfiniteTimeSpan);
        await LoadHttp.EnsureHealthyAsync(http, target.Gateway, "gateway", cancellationToken);

        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]tradingaspire-load[/] → gateway {target.Gateway} ({Markup.Escape(target.Source)}): {settings.Rate} orders/s over {settings.Clients} clients, " +
            $"{settings.WarmupSeconds} s warm-up + {settings.DurationSeconds} s measured"));

        var metrics = new LoadMetrics();
        var ledger = new OrderLedger(metrics.RecordOutcome);
        var orders = new LoadOrders(settings.Clients, target.ApiKey);
        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listener = new OutcomeListener(streams, target, ledger, metrics);
        var listening = await listener.StartAsync(orders.ClientIds, stopListening.Token);

        var sender = new OpenLoopSender(http, target, orders, ledger, metrics);
        var phase = "warm-up";
        var progress = new LiveProgress(metrics, () => sender.InFlight + ledger.Pending, () => phase, settings.Rate, settings.Plain);
        var warmup = (long)settings.Rate * settings.WarmupSeconds;
        var total = warmup + (long)settings.Rate * settings.DurationSeconds;

        IReadOnlyList<PendingOrder> lost = [];
        await progress.RunAsync(Task.Run(async () =>
        {
            var measuring = Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken)
                .ContinueWith(_ => phase = "measuring", TaskScheduler.Default);
            await sender.RunAsync(settings.Rate, total, warmup, cancellationToken);
            phase = "draining";
            var drainEnd = DateTime.UtcNow.AddSeconds(settings.DrainSeconds);
            while ((sender.InFlight > 0 || ledger.Pending > 0) && DateTime.UtcNow < drainEnd)
            {
                await Task.Delay(100, cancellationToken);
            }

            // Every order expires at the latest after its time in force (60 s by default): longer than that open is lost.
            lost = await new OutcomeReconciler(http, target, ledger, metrics).ReconcileAsync(
                TimeSpan.FromSeconds(90), left => phase = $"asking the gateway about {left} orders", cancellationToken);
        }, cancellationToken));

        await stopListening.CancelAsync();
        await listening;

        var summary = new LoadSummary(
            target.Gateway.ToString(), settings.Rate, settings.Clients, settings.WarmupSeconds, settings.DurationSeconds,
            metrics.MeasuredSent, metrics.MeasuredAccepted, metrics.MeasuredCompleted,
            metrics.MeasuredSent / (double)settings.DurationSeconds, CompletedPerSecond(metrics, settings),
            LatencySummary.From(metrics.Accept), LatencySummary.From(metrics.Final),
            new SortedDictionary<string, long>(metrics.Outcomes), new SortedDictionary<string, long>(metrics.ErrorsByKind),
            metrics.NotificationsMissed, listener.Reconnects, lost.Count, lost.Select(o => o.OrderId).Take(100).ToArray(), metrics.Timeline)
        {
            CompletedAll = metrics.Completed,
        };
        LoadReport.Print(summary);
        var directory = settings.Output ?? Path.Combine("load-results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var chart = await LoadReport.WriteAsync(summary, directory);
        AnsiConsole.MarkupLine($"Summary: [link]{Markup.Escape(Path.GetFullPath(Path.Combine(directory, "summary.json")))}[/]");
        AnsiConsole.MarkupLine($"Chart:   [link]{Markup.Escape(Path.GetFullPath(chart))}[/]");
        return (lost.Count == 0 ? 0 : 3, summary);
    }

    /// <summary>Completions per second over the measured seconds of the timeline (warm-up and drain left out).</summary>
    private static double CompletedPerSecond(LoadMetrics metrics, LoadSettings settings)
    {
        var measured = metrics.Timeline.Where(p => p.Second > settings.WarmupSeconds && p.Second <= settings.WarmupSeconds + settings.DurationSeconds).ToArray();
        return measured.Length == 0 ? 0 : measured.Sum(p => p.Completed) / (double)measured.Length;
    }
}
