using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>
/// Calls venues through one Polly pipeline per venue: a timeout per attempt, retries with
/// exponential backoff and jitter, and a circuit breaker that stops hammering a venue that keeps
/// failing (routing then skips it until the breaker lets a probe through). When a child order's
/// outcome is unknown (a timeout, a dropped connection), it is resolved by cancel-if-not-executed;
/// only if even that fails does the delivery fail, to be retried later with the same ClientOrderId.
/// </summary>
public sealed class VenueGateway
{
    private readonly ResiliencePipelineRegistry<string> registry = new();
    // Until when each venue's circuit is open. Polly moves a breaker to half-open only when a call is
    // tried, so routing must offer the venue again once the break is over: that call is the probe.
    private readonly ConcurrentDictionary<string, DateTimeOffset> openUntil = new(StringComparer.OrdinalIgnoreCase);
    private readonly IHttpClientFactory httpFactory;
    private readonly IOptionsMonitor<ExecutionOptions> options;

    public VenueGateway(IHttpClientFactory httpFactory, IOptionsMonitor<ExecutionOptions> options, ServiceTelemetry telemetry)
    {
        this.httpFactory = httpFactory;
        this.options = options;
        telemetry.Meter.CreateObservableGauge("trading.venue.available",
            () => openUntil.Select(v => new Measurement<int>(v.Value > DateTimeOffset.UtcNow ? 0 : 1, new KeyValuePair<string, object?>(TradingAttributes.Venue, v.Key))),
            "{venue}", "1 while a venue's circuit is closed (routable), 0 while it is open.");
    }

    private ExchangesClient Exchanges => new(httpFactory.CreateClient(nameof(ExchangesClient)));

    /// <summary>Venues whose circuit is open right now: routing leaves them out.</summary>
    public IReadOnlySet<string> Unavailable
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return openUntil.Where(v => v.Value > now).Select(v => v.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    public async Task<VenueCall> SendAsync(string venue, VenueOrderRequest order, CancellationToken cancellationToken)
    {
        // Did any attempt possibly reach the venue? Then a later "never executed" refusal (open
        // breaker, 503) says nothing about that earlier attempt, and the outcome must be resolved.
        var mayHaveExecuted = false;
        try
        {
            return await Pipeline(venue).ExecuteAsync(
                async token =>
                {
                    try
                    {
                        return await Exchanges.SendAsync(venue, order, token);
                    }
                    catch (Exception ex) when (!NeverExecuted(ex))
                    {
                        mayHaveExecuted = true;
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (Exception ex) when (!mayHaveExecuted && NeverExecuted(ex))
        {
            return new VenueCall.NotExecuted($"venue_unavailable: {ex.Message}");
        }
        catch (Exception ex) when (IsUnknownOutcome(ex, cancellationToken) || NeverExecuted(ex))
        {
            return await ResolveAsync(venue, order.ClientOrderId, ex, cancellationToken);
        }
    }

    /// <summary>The child order's fate is unknown: ask the venue to cancel it unless it executed.</summary>
    private async Task<VenueCall> ResolveAsync(string venue, string clientOrderId, Exception cause, CancellationToken cancellationToken)
    {
        try
        {
            // Not through the breaker: a resolution must be tried even while the venue is considered unhealthy.
            return await CancelPipeline.ExecuteAsync(async token => await Exchanges.CancelAsync(venue, clientOrderId, token), cancellationToken);
        }
        catch (Exception ex) when (IsUnknownOutcome(ex, cancellationToken) || NeverExecuted(ex))
        {
            throw new VenueOutcomeUnknownException(venue, clientOrderId, cause, ex);
        }
    }

    private ResiliencePipeline<VenueCall> Pipeline(string venue) =>
        registry.GetOrAddPipeline<VenueCall>(venue, builder =>
        {
            var settings = options.CurrentValue;
            builder
                .AddRetry(new RetryStrategyOptions<VenueCall>
                {
                    ShouldHandle = new PredicateBuilder<VenueCall>().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                    MaxRetryAttempts = settings.VenueRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<VenueCall>
                {
                    ShouldHandle = new PredicateBuilder<VenueCall>().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(10),
                    BreakDuration = settings.VenueBreakDuration,
                    OnOpened = args => { openUntil[venue] = DateTimeOffset.UtcNow + args.BreakDuration; return ValueTask.CompletedTask; },
                    OnClosed = _ => { openUntil[venue] = DateTimeOffset.MinValue; return ValueTask.CompletedTask; },
                })
                .AddTimeout(settings.VenueAttemptTimeout);
        });

    private static readonly ResiliencePipeline<VenueCall> CancelPipeline = new ResiliencePipelineBuilder<VenueCall>()
        .AddRetry(new RetryStrategyOptions<VenueCall>
        {
            ShouldHandle = new PredicateBuilder<VenueCall>().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .AddTimeout(TimeSpan.FromSeconds(5))
        .Build();

    /// <summary>The request provably never executed: a breaker refused it, the venue was not listening, or it answered 503.</summary>
    private static bool NeverExecuted(Exception ex) =>
        ex is BrokenCircuitException ||
        ex is VenueHttpException { RefusedBeforeAccepting: true } ||
        ex is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };

    private static bool IsUnknownOutcome(Exception ex, CancellationToken cancellationToken) =>
        (ex is HttpRequestException or TimeoutRejectedException or IOException) ||
        (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}

/// <summary>Neither the child order nor its cancellation got an answer: the delivery is retried later.</summary>
public sealed class VenueOutcomeUnknownException(string venue, string clientOrderId, Exception send, Exception cancel)
    : TransientMessageException($"Outcome of {clientOrderId} at {venue} is unknown ({send.Message}; cancel: {cancel.Message}).", send);
