using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Strategy;

/// <summary>
/// The strategy keeps trading through a busy gateway: its order client, registered exactly as the service registers it
/// (<see cref="GatewayClients.AddGatewayClients"/>: service discovery, service key, standard resilience handler and its
/// backoff), sends to a fake gateway on a real Kestrel that answers 429 and 503 before accepting. Each retry waits as
/// the answer's Retry-After says, and is an event on the order's span; a gateway that stays busy ends in a clear
/// not-accepted result with an error on the span, not an exception.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class GatewayBackoffTests
{
    private static readonly ActivitySource Source = new("TradingAspire.Tests.GatewayBackoff");
    private static readonly OrderTicket Ticket = new("strategy-arb", "BTC-USD", OrderSide.Buy, OrderType.Limit, 0.02m, 100_000m, 2);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_gateway_answering_429_then_503_is_retried_after_its_Retry_After_and_the_order_fills()
    {
        await using var gateway = await FakeGateway.StartAsync(Ticket, FakeGateway.Busy(429, retryAfterSeconds: 1), FakeGateway.Busy(503), FakeGateway.Accept);
        await using var strategy = Strategy(gateway.Url, maxAttempts: 3, delay: TimeSpan.FromMilliseconds(50));
        using var spans = Listen();
        using var backoffs = new BackoffCounts(strategy.GetRequiredService<ServiceTelemetry>().Meter);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        LegResult result;
        Activity span;
        using (span = Source.StartActivity("order.execute")!)
        {
            result = await strategy.GetRequiredService<GatewayOrders>().ExecuteAsync(span, Ticket, timeout.Token);
        }

        Assert.Equal(FakeGateway.OrderId, result.OrderId);
        Assert.Equal(OrderStatus.Filled, result.Status);
        Assert.True(result.FullyFilled);
        Assert.Equal(FakeGateway.OrderId, span.GetTagItem(TradingAttributes.OrderId));
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);

        var posts = gateway.Posts;
        Assert.Equal(3, posts.Count);
        Assert.Single(posts.Select(p => p.IdempotencyKey).Distinct()); // a resend is the same order to the gateway
        var firstWait = Stopwatch.GetElapsedTime(posts[0].At, posts[1].At);
        Assert.True(firstWait >= TimeSpan.FromSeconds(1) - Tolerance, $"The retry after a 429 with Retry-After: 1 came after {firstWait.TotalMilliseconds:0} ms.");

        var events = BackoffEvents(span);
        Assert.Equal([429, 503], events.Select(e => e.StatusCode));
        Assert.Equal([1, 2], events.Select(e => e.Attempt));
        Assert.Equal(1000, events[0].DelayMs); // Retry-After, not the 50 ms backoff
        Assert.InRange(events[1].DelayMs, 0, 999); // no Retry-After: the configured exponential backoff
        Assert.Equal(["429", "503"], events.Select(e => e.ErrorType));
        Assert.Equal([429, 503], backoffs.StatusCodes);
    }

    [Fact]
    public async Task A_gateway_that_stays_503_ends_in_gateway_busy_503_with_an_error_on_the_span_without_throwing()
    {
        await using var gateway = await FakeGateway.StartAsync(Ticket, FakeGateway.Busy(503));
        await using var strategy = Strategy(gateway.Url, maxAttempts: 2, delay: TimeSpan.FromMilliseconds(10));
        using var spans = Listen();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        LegResult result;
        Activity span;
        using (span = Source.StartActivity("order.execute")!)
        {
            result = await strategy.GetRequiredService<GatewayOrders>().ExecuteAsync(span, Ticket, timeout.Token);
        }

        Assert.Null(result.OrderId);
        Assert.Null(result.Status);
        Assert.Equal("gateway_busy_503", result.Reason);
        Assert.True(result.NothingFilled);
        Assert.Equal(3, gateway.Posts.Count); // the first attempt and two retries
        Assert.Equal(0, gateway.Polls);

        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("gateway_busy_503", span.GetTagItem(SemanticAttributes.ErrorType));
        Assert.Equal(503, span.GetTagItem(SemanticAttributes.HttpResponseStatusCode));
        Assert.Contains(span.Events, e => e.Name == "error");
        Assert.Equal([503, 503], BackoffEvents(span).Select(e => e.StatusCode));
    }

    [Fact]
    public void The_default_gateway_retry_is_the_standard_resilience_handlers()
    {
        var standard = new HttpStandardResilienceOptions().Retry;
        var strategy = new StrategyOptions().GatewayRetry;

        Assert.Equal(standard.MaxRetryAttempts, strategy.MaxAttempts);
        Assert.Equal(standard.Delay, strategy.Delay);
        Assert.True(standard.ShouldRetryAfterHeader);
    }

    /// <summary>The strategy's gateway clients as the service registers them, at <paramref name="gatewayUrl"/>.</summary>
    private static ServiceProvider Strategy(string gatewayUrl, int maxAttempts, TimeSpan delay)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Strategy:GatewayUrl"] = gatewayUrl,
            ["Strategy:GatewayRetry:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Strategy:GatewayRetry:Delay"] = delay.ToString("c"),
            ["Strategy:FinalStateTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // As the service defaults do: every client resolves its address through service discovery (a literal URL passes).
        services.AddServiceDiscovery();
        services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        services.AddSingleton(new ServiceTelemetry("Strategy"));
        services.AddSingleton<StrategyMetrics>();
        services.Configure<StrategyOptions>(configuration.GetSection(StrategyOptions.Section));
        services.AddGatewayClients();
        return services.BuildServiceProvider();
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, Source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static List<(int StatusCode, int Attempt, double DelayMs, string? ErrorType)> BackoffEvents(Activity span) =>
        span.Events.Where(e => e.Name == "gateway.backoff")
            .Select(e =>
            {
                var tags = e.Tags.ToDictionary(t => t.Key, t => t.Value);
                return ((int)tags[SemanticAttributes.HttpResponseStatusCode]!, (int)tags["retry.attempt"]!,
                    (double)tags["retry.delay_ms"]!, tags[SemanticAttributes.ErrorType] as string);
            })
            .ToList();

    /// <summary>The status codes counted on <c>trading.strategy.gateway_backoffs</c> of one strategy's meter.</summary>
    private sealed class BackoffCounts : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<int> codes = [];

        public BackoffCounts(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "trading.strategy.gateway_backoffs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == SemanticAttributes.HttpResponseStatusCode)
                    {
                        lock (codes)
                        {
                            codes.Add((int)tag.Value!);
                        }
                    }
                }
            });
            listener.Start();
        }

        public int[] StatusCodes
        {
            get
            {
                lock (codes)
                {
                    return [.. codes];
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
