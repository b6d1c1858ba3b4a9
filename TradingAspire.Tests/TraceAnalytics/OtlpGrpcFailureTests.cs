using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// When the store cannot take spans, an OTLP/gRPC export gets UNAVAILABLE with a RetryInfo (OTLP's retryable
/// error), counted like an OTLP/HTTP 503; a message over the size limit is RESOURCE_EXHAUSTED without one.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class OtlpGrpcFailureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task When_the_store_cannot_append_a_grpc_export_is_unavailable_with_retry_info_and_the_loss_is_counted()
    {
        await using var server = await TraceAnalyticsServer.StartWithGrpcAsync();
        using var client = new OtlpGrpcClient(server.GrpcAddress!);
        await server.BreakStoreAsync();

        var failed = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpRequests.OrderRequest().WithTraceId(Guid.NewGuid().ToString("n"))));
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpRequests.OrderRequest().WithTraceId(Guid.NewGuid().ToString("n"))));

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Contains("could not append", failed.Status.Detail);
        Assert.Equal(TimeSpan.FromSeconds(1), OtlpGrpcErrors.RetryDelay(failed.Trailers));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("cannot write", refused.Status.Detail);
        Assert.Equal(TimeSpan.FromSeconds(1), OtlpGrpcErrors.RetryDelay(refused.Trailers));
        var status = server.Services.GetRequiredService<IngestMonitor>().Snapshot(0);
        Assert.Equal(2, status.DroppedSpans);
        Assert.True(status.Refused[IngestMonitor.Reasons.StoreFailing] >= 2);

        // Once the store writes again, a trial export (one per retry delay) is stored.
        await server.RepairStoreAsync();
        var recovered = Guid.NewGuid().ToString("n");
        await Eventually.True(async () =>
        {
            try
            {
                await client.ExportAsync(OtlpRequests.OrderRequest().WithTraceId(recovered));
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, Limit, "a gRPC export to be stored again");
        Assert.Equal(2, (await server.Store.GetTraceAsync(recovered)).Count);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_resource_exhausted_without_retry_info()
    {
        await using var server = await TraceAnalyticsServer.StartWithGrpcAsync(new Dictionary<string, string?> { ["TraceAnalytics:Ingest:MaxBodyBytes"] = "256" });
        using var client = new OtlpGrpcClient(server.GrpcAddress!);
        var request = OtlpRequests.OrderRequest(orderId: new string('x', 512));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(request));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Null(OtlpGrpcErrors.RetryDelay(error.Trailers));
    }

    [Fact]
    public async Task A_full_queue_is_unavailable_and_nothing_is_queued_in_part()
    {
        var queue = new IngestQueue(1);
        var monitor = new IngestMonitor(new ServiceTelemetry("TraceAnalytics"), TimeProvider.System);
        var ingest = new OtlpTraceIngest(queue, monitor, Options.Create(new IngestOptions { RetryAfterSeconds = 2 }));
        var first = new IngestBatch(TradingAspire.TraceAnalytics.Otlp.OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()).Spans);
        Assert.True(queue.TryEnqueue(first));

        var result = await ingest.IngestAsync(OtlpRequests.OrderRequest("ord-44"), CancellationToken.None);
        var error = OtlpGrpcErrors.Unavailable(result.Reason, result.RetryAfterSeconds);

        Assert.Equal(IngestOutcome.Unavailable, result.Outcome);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("queue is full", error.Status.Detail);
        Assert.Equal(TimeSpan.FromSeconds(2), OtlpGrpcErrors.RetryDelay(error.Trailers));
        Assert.True(queue.Reader.TryRead(out var queued));
        Assert.Same(first, queued);
        Assert.False(queue.Reader.TryRead(out _));
        Assert.Equal(2, monitor.Snapshot(queue.Count).Refused[IngestMonitor.Reasons.QueueFull]);
    }
}
