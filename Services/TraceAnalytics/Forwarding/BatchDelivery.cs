using OpenTelemetry;
using Polly;
using Polly.Retry;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// Delivers one batch to the backend: one export request, retried with exponential, jittered backoff (Polly) while
/// the answer is retryable, honouring the backend's Retry-After / RetryInfo; then counts the spans forwarded or failed
/// and keeps the state for the status. Logs when the state changes — at Error when the backend refuses (naming the
/// status, e.g. 401, and the setting to check), at Warning when it cannot be reached — not once per batch.
/// The export's own HTTP/gRPC calls are not traced (they would feed the store its own forwarding).
/// </summary>
public sealed partial class BatchDelivery
{
    private readonly IOtlpTraceSender sender;
    private readonly ForwardTarget target;
    private readonly ForwardMetrics metrics;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly ResiliencePipeline<SendResult> pipeline;
    private readonly Lock gate = new();
    private string state = ForwardStates.Idle;
    private string lastOutcome = "";
    private ForwardError? lastError;
    private DateTimeOffset? lastForwardedAt;

    public BatchDelivery(IOtlpTraceSender sender, ForwardTarget target, ForwardOptions options, ForwardMetrics metrics, TimeProvider clock, ILogger logger)
    {
        this.sender = sender;
        this.target = target;
        this.metrics = metrics;
        this.clock = clock;
        this.logger = logger;
        var builder = new ResiliencePipelineBuilder<SendResult> { TimeProvider = clock };
        if (options.MaxRetries > 0)
        {
            var maxDelay = TimeSpan.FromSeconds(Math.Max(0.01, options.RetryMaxDelaySeconds));
            builder.AddRetry(new RetryStrategyOptions<SendResult>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Status: SendStatus.Retryable }),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(Math.Clamp(options.RetryBaseDelayMilliseconds, 1, maxDelay.TotalMilliseconds)),
                MaxDelay = maxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } after && after > TimeSpan.Zero ? after < maxDelay ? after : maxDelay : (TimeSpan?)null),
                OnRetry = args =>
                {
                    Retrying(args.Outcome.Result!, args.RetryDelay);
                    return default;
                },
            });
        }

        pipeline = builder.Build();
    }

    /// <summary>Sends the batch (retrying as configured, until <paramref name="cancellationToken"/>); true when the backend took it.</summary>
    public async Task<bool> DeliverAsync(IReadOnlyList<ForwardItem> batch, CancellationToken cancellationToken)
    {
        var request = ForwardRequests.ToExport(batch);
        var spans = batch.Sum(item => (long)item.Spans);
        SendResult result;
        using (SuppressInstrumentationScope.Begin())
        {
            result = await pipeline.ExecuteAsync(
                static async (call, token) => await call.sender.SendAsync(call.request, token).ConfigureAwait(false),
                (sender, request), cancellationToken).ConfigureAwait(false);
        }

        switch (result.Status)
        {
            case SendStatus.Delivered:
                metrics.Delivered(spans - result.RejectedSpans);
                metrics.Failures(result.RejectedSpans, result.ErrorType);
                Record(ForwardStates.Ok, result, spans);
                return true;
            default:
                metrics.Failures(spans, result.ErrorType);
                Record(result.Status == SendStatus.Refused ? ForwardStates.Refused : ForwardStates.Failing, result, spans);
                return false;
        }
    }

    public (string State, DateTimeOffset? LastForwardedAt, ForwardError? LastError) Snapshot()
    {
        lock (gate)
        {
            return (state, lastForwardedAt, lastError);
        }
    }

    /// <summary>A retryable answer: logged when the backend was fine until now (later ones only change the state).</summary>
    private void Retrying(SendResult result, TimeSpan delay)
    {
        bool wasFine;
        lock (gate)
        {
            wasFine = state is ForwardStates.Idle or ForwardStates.Ok;
            state = ForwardStates.Retrying;
            lastOutcome = ForwardStates.Retrying;
            lastError = new ForwardError(result.ErrorType, result.Detail, clock.GetUtcNow());
        }

        if (wasFine)
        {
            LogRetrying(target.Display, result.Detail, delay.TotalSeconds);
        }
    }

    private void Record(string next, SendResult result, long spans)
    {
        string previous;
        bool changed;
        lock (gate)
        {
            previous = state;
            var outcome = $"{next}/{result.ErrorType}";
            changed = outcome != lastOutcome;
            lastOutcome = outcome;
            state = next;
            if (next == ForwardStates.Ok)
            {
                lastForwardedAt = clock.GetUtcNow();
            }

            if (result.ErrorType.Length > 0)
            {
                lastError = new ForwardError(result.ErrorType, result.Detail, clock.GetUtcNow());
            }
        }

        if (!changed)
        {
            return;
        }

        switch (next)
        {
            case ForwardStates.Ok when result.RejectedSpans > 0:
                LogPartialSuccess(target.Display, result.RejectedSpans, spans, result.Detail);
                break;
            case ForwardStates.Ok when previous is ForwardStates.Failing or ForwardStates.Refused or ForwardStates.Retrying:
                LogRecovered(target.Display, metrics.Failed);
                break;
            case ForwardStates.Refused:
                LogRefused(target.Display, spans, result.Detail, Hint(result.ErrorType));
                break;
            case ForwardStates.Failing:
                LogUnreachable(target.Display, spans, result.Detail);
                break;
        }
    }

    private static string Hint(string errorType) => errorType switch
    {
        "401" or "403" or "Unauthenticated" or "PermissionDenied" => $"check the credentials in {ForwardOptions.Section}:Headers",
        "404" or "405" or "415" or "Unimplemented" or "Internal" => $"check {ForwardOptions.Section}:Endpoint and :Protocol (grpc or http/protobuf) against the backend's OTLP receiver",
        _ => "the backend's answer says why",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The tracing backend {Endpoint} refused {SpanCount} forwarded spans ({Detail}); not retried: {Hint}. Further refusals of the same kind are counted in trading.traces.forward.failed, not logged")]
    private partial void LogRefused(string endpoint, long spanCount, string detail, string hint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tracing backend {Endpoint} did not take a forwarded export ({Detail}); retrying in {DelaySeconds:0.#} s with backoff")]
    private partial void LogRetrying(string endpoint, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tracing backend {Endpoint} could not take {SpanCount} forwarded spans after every retry ({Detail}); they count as failed, the next batches keep trying (oldest spans are dropped when the queue is full)")]
    private partial void LogUnreachable(string endpoint, long spanCount, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tracing backend {Endpoint} rejected {RejectedCount} of {SpanCount} forwarded spans (partial success): {Detail}")]
    private partial void LogPartialSuccess(string endpoint, long rejectedCount, long spanCount, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding to the tracing backend {Endpoint} works again ({FailedCount} spans failed since start)")]
    private partial void LogRecovered(string endpoint, long failedCount);
}
