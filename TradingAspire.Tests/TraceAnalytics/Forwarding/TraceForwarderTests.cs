using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.TraceAnalytics.Otlp;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>
/// The forwarder against a scripted backend: it never makes ingest wait, drops (and counts) the oldest spans while the
/// backend hangs, retries what is retryable with backoff, gives up at once on a refusal, forwards per its mode, and
/// sends what is queued when it stops.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceForwarderTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly ScriptedSender sender = new();
    private readonly ForwardMetrics metrics = new(new ServiceTelemetry("TraceAnalytics"));
    private TraceForwarder? forwarder;

    private TraceForwarder Start(ForwardOptions? options = null, bool sampling = false)
    {
        options ??= new ForwardOptions();
        options.Endpoint ??= "http://127.0.0.1:4317";
        options.BatchDelayMilliseconds = 0;
        options.RetryBaseDelayMilliseconds = 10;
        forwarder = new TraceForwarder(Options.Create(options), Options.Create(new TailSamplingOptions { Enabled = sampling }), metrics,
            _ => sender, TimeProvider.System, NullLogger<TraceForwarder>.Instance);
        forwarder.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return forwarder;
    }

    private static (OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest Export, OtlpConversion Conversion) Export(bool keepReceived = false)
    {
        var export = OtlpRequests.OrderRequest().WithTraceId(Guid.NewGuid().ToString("n"));
        return (export, OtlpSpanConverter.Convert(export, keepReceived));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (forwarder is not null)
        {
            await forwarder.StopAsync(CancellationToken.None);
            forwarder.Dispose();
        }
    }

    [Fact]
    public async Task A_hanging_backend_never_makes_ingest_wait_and_the_oldest_spans_are_dropped_and_counted()
    {
        var release = new TaskCompletionSource();
        sender.Answer = async (_, token) =>
        {
            await release.Task.WaitAsync(token);
            return SendResult.Delivered();
        };
        var forwarding = Start(new ForwardOptions { MaxQueue = 10, MaxBatchSpans = 2 });

        var (first, firstConversion) = Export();
        forwarding.OnAccepted(first, firstConversion);
        await Eventually.True(() => Task.FromResult(sender.Attempts == 1), Limit, "the first batch in flight (and hanging)");

        var offering = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 99; i++)
        {
            var (export, conversion) = Export();
            forwarding.OnAccepted(export, conversion); // 2 spans each
        }

        Assert.True(offering.Elapsed < TimeSpan.FromSeconds(1), $"offering 99 exports took {offering.Elapsed}");
        var status = forwarding.Status();
        Assert.Equal(10, status.QueuedSpans);
        Assert.Equal(188, status.DroppedSpans); // 200 offered: 2 in flight, the newest 10 queued, the oldest others dropped
        Assert.Equal(188, metrics.Dropped);

        release.SetResult();
        await Eventually.True(() => Task.FromResult(forwarding.Status().QueuedSpans == 0 && sender.DeliveredSpans == 200 - status.DroppedSpans),
            Limit, "the queued spans delivered once the backend answers");
        Assert.Equal(ForwardStates.Ok, forwarding.Status().State);
        Assert.Equal(200 - status.DroppedSpans, forwarding.Status().ForwardedSpans);
    }

    [Fact]
    public async Task A_retryable_answer_is_retried_with_backoff_until_the_backend_takes_the_batch()
    {
        sender.Answer = (attempt, _) => Task.FromResult(attempt < 3
            ? new SendResult(SendStatus.Retryable, "503", "HTTP 503 Service Unavailable", TimeSpan.FromMilliseconds(20))
            : SendResult.Delivered());
        var forwarding = Start();

        var (export, conversion) = Export();
        forwarding.OnAccepted(export, conversion);

        await Eventually.True(() => Task.FromResult(forwarding.Status().ForwardedSpans == 2), Limit, "the batch delivered on the third attempt");
        Assert.Equal(3, sender.Attempts);
        var status = forwarding.Status();
        Assert.Equal(ForwardStates.Ok, status.State);
        Assert.Equal(0, status.FailedSpans);
        Assert.Equal("503", status.LastError?.Type);
    }

    [Fact]
    public async Task A_refusal_is_not_retried_its_spans_count_as_failed_and_the_status_says_why()
    {
        sender.Answer = (_, _) => Task.FromResult(new SendResult(SendStatus.Refused, "401", "HTTP 401 Unauthorized"));
        var forwarding = Start(new ForwardOptions { MaxRetries = 5 });

        var (export, conversion) = Export();
        forwarding.OnAccepted(export, conversion);

        await Eventually.True(() => Task.FromResult(forwarding.Status().FailedSpans == 2), Limit, "the refused spans counted");
        Assert.Equal(1, sender.Attempts);
        var status = forwarding.Status();
        Assert.Equal(ForwardStates.Refused, status.State);
        Assert.Equal("401", status.LastError?.Type);
        Assert.Contains("401 Unauthorized", status.LastError?.Detail);
    }

    [Fact]
    public async Task A_backend_that_stays_down_fails_the_batch_after_the_retries_and_the_next_batches_still_go()
    {
        var down = true;
        sender.Answer = (_, _) => Task.FromResult(Volatile.Read(ref down)
            ? new SendResult(SendStatus.Retryable, "ConnectionError", "Connection refused")
            : SendResult.Delivered());
        var forwarding = Start(new ForwardOptions { MaxRetries = 2 });

        var (first, firstConversion) = Export();
        forwarding.OnAccepted(first, firstConversion);
        await Eventually.True(() => Task.FromResult(forwarding.Status().FailedSpans == 2), Limit, "the first batch given up");
        Assert.Equal(3, sender.Attempts); // one try and two retries
        Assert.Equal(ForwardStates.Failing, forwarding.Status().State);

        Volatile.Write(ref down, false);
        var (second, secondConversion) = Export();
        forwarding.OnAccepted(second, secondConversion);
        await Eventually.True(() => Task.FromResult(forwarding.Status().ForwardedSpans == 2), Limit, "the next batch delivered");
        Assert.Equal(ForwardStates.Ok, forwarding.Status().State);
    }

    [Fact]
    public async Task In_mode_kept_with_tail_sampling_only_the_kept_spans_go_and_as_received()
    {
        var forwarding = Start(new ForwardOptions { Mode = ForwardMode.Kept }, sampling: true);
        Assert.True(forwarding.NeedsReceivedSpans);

        var (dropped, droppedConversion) = Export(keepReceived: true);
        forwarding.OnAccepted(dropped, droppedConversion); // at receipt: not yet decided, not sent
        var (kept, keptConversion) = Export(keepReceived: true);
        forwarding.OnKept(keptConversion.Spans);

        await Eventually.True(() => Task.FromResult(sender.DeliveredSpans == 2), Limit, "the kept trace delivered");
        var sent = Assert.Single(sender.Delivered);
        Assert.Equal(kept, sent); // the whole export was kept: the same request
    }

    [Fact]
    public async Task In_mode_kept_without_tail_sampling_every_accepted_export_is_kept_and_so_forwarded()
    {
        var forwarding = Start(new ForwardOptions { Mode = ForwardMode.Kept, MaxQueue = 100 }, sampling: false);
        Assert.False(forwarding.NeedsReceivedSpans);

        var (export, conversion) = Export();
        forwarding.OnKept(conversion.Spans); // never called without sampling; ignored if it were
        Assert.Equal(0, forwarding.Status().QueuedSpans + forwarding.Status().ForwardedSpans);
        forwarding.OnAccepted(export, conversion);
        await Eventually.True(() => Task.FromResult(sender.DeliveredSpans == 2), Limit, "the accepted export delivered");
    }

    [Fact]
    public async Task Stopping_sends_what_is_queued_and_counts_what_the_drain_time_cut_short_as_dropped()
    {
        sender.Answer = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token); // a backend that never answers
            return SendResult.Delivered();
        };
        var forwarding = Start(new ForwardOptions { DrainSeconds = 0.2, MaxBatchSpans = 2 });
        for (var i = 0; i < 3; i++)
        {
            var (export, conversion) = Export();
            forwarding.OnAccepted(export, conversion);
        }

        await forwarding.StopAsync(CancellationToken.None).WaitAsync(Limit);
        forwarder = null;
        forwarding.Dispose();

        var status = forwarding.Status();
        Assert.Equal(0, status.QueuedSpans);
        Assert.Equal(6, status.DroppedSpans); // in flight and queued: none delivered, none lost uncounted
        Assert.Equal(0, status.ForwardedSpans);
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_forwarded_and_the_status_says_off()
    {
        forwarder = new TraceForwarder(Options.Create(new ForwardOptions()), Options.Create(new TailSamplingOptions()), metrics,
            _ => throw new InvalidOperationException("no sender without an endpoint"), TimeProvider.System, NullLogger<TraceForwarder>.Instance);
        var (export, conversion) = Export();

        forwarder.OnAccepted(export, conversion);

        Assert.False(forwarder.Enabled);
        Assert.Equal(ForwardStates.Off, forwarder.Status().State);
        Assert.Equal(0, forwarder.Status().QueuedSpans);
    }
}
