using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using TradingAspire.TraceAnalytics.Ingest;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// OTLP/gRPC: <c>TraceService/Export</c> on the target (HTTP/2; cleartext for <c>http://</c>) with the headers as
/// metadata. As OTLP says, CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS are
/// retryable, RESOURCE_EXHAUSTED only with a <c>google.rpc.RetryInfo</c> (whose delay is honoured); any other status
/// is not.
/// </summary>
public sealed class OtlpGrpcTraceSender : IOtlpTraceSender
{
    private readonly GrpcChannel channel;
    private readonly TraceService.TraceServiceClient client;
    private readonly Metadata headers = [];
    private readonly TimeSpan timeout;

    public OtlpGrpcTraceSender(ForwardTarget target, TimeSpan timeout)
    {
        this.timeout = timeout;
        channel = GrpcChannel.ForAddress(target.Url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = timeout },
            MaxSendMessageSize = null,
            DisposeHttpClient = true,
        });
        client = new TraceService.TraceServiceClient(channel);
        foreach (var (name, value) in target.Headers)
        {
            headers.Add(name, value);
        }
    }

    public async Task<SendResult> SendAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.ExportAsync(request, headers, DateTime.UtcNow + timeout, cancellationToken).ConfigureAwait(false);
            return SendResult.Delivered(answer.PartialSuccess?.RejectedSpans ?? 0, answer.PartialSuccess?.ErrorMessage ?? "");
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retryDelay = RetryDelay(ex);
            var retryable = ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Aborted
                or StatusCode.OutOfRange or StatusCode.Unavailable or StatusCode.DataLoss
                || (ex.StatusCode == StatusCode.ResourceExhausted && retryDelay is not null);
            var detail = $"gRPC {ex.StatusCode}: {ex.Status.Detail}";
            return new SendResult(retryable ? SendStatus.Retryable : SendStatus.Refused, ex.StatusCode.ToString(), detail, retryDelay);
        }
    }

    private static TimeSpan? RetryDelay(RpcException ex)
    {
        try
        {
            return OtlpGrpcErrors.RetryDelay(ex.Trailers);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public void Dispose() => channel.Dispose();
}
