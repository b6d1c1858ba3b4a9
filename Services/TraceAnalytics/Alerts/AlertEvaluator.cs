using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>
/// Evaluates the alert rules every <see cref="AlertOptions.EvaluationInterval"/> against the stored
/// spans. A firing or resolved alert is recorded (table <c>alerts</c>, with the offending trace
/// ids), published to the Redis stream <c>alerts</c> (the notification service pushes it to
/// subscribers) and reflected in <c>trading.alerts.firing</c>.
/// </summary>
public sealed partial class AlertEvaluator(
    ITraceAnalyticsStore analytics,
    IAlertStore alerts,
    IAlertSink sink,
    AlertMetrics metrics,
    IOptionsMonitor<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluator> logger) : BackgroundService
{
    private readonly AlertTracker tracker = new();

    public IReadOnlyCollection<LatencyAlert> Firing => tracker.Firing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            if (settings.Enabled)
            {
                foreach (var rule in settings.Rules.Where(r => !string.IsNullOrWhiteSpace(r.Stage)))
                {
                    try
                    {
                        await EvaluateAsync(rule, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogEvaluationFailed(ex, rule.Name);
                    }
                }
            }

            try
            {
                await Task.Delay(settings.EvaluationInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task EvaluateAsync(AlertRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = (now - rule.Window).UtcDateTime;
        var dimension = AlertConditions.Dimension(rule);

        IReadOnlyList<AlertMeasurement> measurements;
        Dictionary<string, List<AlertOffender>> slowTraces;
        if (rule.IsTraceRule)
        {
            var slow = await SlowSpansAsync(rule, from, now.UtcDateTime, null, cancellationToken);
            measurements = AlertConditions.FromSlowSpans(rule, slow.Select(s => (GroupOf(s, dimension), s.DurationNanos / 1e6)));
            slowTraces = slow.GroupBy(s => GroupOf(s, dimension)).ToDictionary(g => g.Key, g => Offenders(g));
        }
        else
        {
            var groups = await analytics.GetLatencyAsync(new StageFilter(from, now.UtcDateTime, rule.Stage),
                dimension is { } d ? [d] : [], cancellationToken);
            measurements = AlertConditions.FromPercentiles(rule, groups);
            slowTraces = new Dictionary<string, List<AlertOffender>>();
            foreach (var breached in measurements.Where(m => m.Breached))
            {
                var venue = dimension == LatencyDimension.Venue ? breached.Group : null;
                slowTraces[breached.Group] = Offenders((await SlowSpansAsync(rule, from, now.UtcDateTime, venue, cancellationToken))
                    .Where(s => GroupOf(s, dimension) == breached.Group || dimension != LatencyDimension.Venue));
            }
        }

        foreach (var (alert, transition) in tracker.Apply(rule, measurements, g => slowTraces.GetValueOrDefault(g) ?? [], now))
        {
            await alerts.SaveAsync(alert, cancellationToken);
            if (!transition)
            {
                continue;
            }

            metrics.Transition(alert);
            LogTransition(alert.State, alert.Rule, alert.Group, alert.Summary);
            try
            {
                await sink.PublishAsync(alert, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogPublishFailed(ex, alert.Id);
            }
        }
    }

    private async Task<IReadOnlyList<SpanRecord>> SlowSpansAsync(AlertRule rule, DateTime from, DateTime to, string? venue, CancellationToken cancellationToken)
    {
        var attributes = venue is null ? null : new[] { new KeyValuePair<string, string>(TradingAttributes.Venue, venue) };
        var page = await analytics.SearchSpansAsync(new SpanSearchCriteria(from, to, Name: rule.Stage, Attributes: attributes,
            MinDurationNanos: (long)(rule.ThresholdMs * 1_000_000), Limit: 200), cancellationToken);
        return page.Spans;
    }

    /// <summary>The slowest traces (at most 10), each with the client and order it belongs to.</summary>
    private static List<AlertOffender> Offenders(IEnumerable<SpanRecord> spans) =>
        spans.DistinctBy(s => s.TraceId).Take(10)
            .Select(s => new AlertOffender(s.TraceId,
                s.SpanAttributes.GetValueOrDefault(TradingAttributes.ClientId), s.SpanAttributes.GetValueOrDefault(TradingAttributes.OrderId)))
            .ToList();

    private static string GroupOf(SpanRecord span, LatencyDimension? dimension) => dimension switch
    {
        LatencyDimension.Venue => span.Venue ?? "unknown",
        LatencyDimension.Service => span.ServiceName,
        LatencyDimension.Symbol => span.Symbol ?? "unknown",
        _ => "all",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {State}: {Rule} [{Group}] {Summary}")]
    private partial void LogTransition(AlertState state, string rule, string group, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating alert rule {Rule} failed")]
    private partial void LogEvaluationFailed(Exception ex, string rule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing alert {AlertId} to the alerts stream failed; it is recorded in the store")]
    private partial void LogPublishFailed(Exception ex, string alertId);
}
