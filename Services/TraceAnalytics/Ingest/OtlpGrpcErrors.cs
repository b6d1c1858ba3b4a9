using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The gRPC status of a refused OTLP/gRPC export, as the OTLP specification asks: UNAUTHENTICATED for a
/// missing or wrong key, INVALID_ARGUMENT for bad data (neither retried), and UNAVAILABLE with a
/// <c>google.rpc.RetryInfo</c> in the <c>grpc-status-details-bin</c> trailer when the store cannot take the
/// spans now (OTLP's retryable error and its backpressure signal, which MUST be UNAVAILABLE; RESOURCE_EXHAUSTED
/// is left to Grpc.AspNetCore for a message over the size limit, where a retry cannot help).
/// </summary>
public static class OtlpGrpcErrors
{
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    public static RpcException Unauthenticated(string reason) => new(new GrpcStatus(StatusCode.Unauthenticated, reason));

    public static RpcException InvalidArgument(string reason) => new(new GrpcStatus(StatusCode.InvalidArgument, reason));

    public static RpcException Unavailable(string reason, int retryAfterSeconds)
    {
        var details = new Google.Rpc.Status
        {
            Code = (int)StatusCode.Unavailable,
            Message = reason,
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(Math.Max(1, retryAfterSeconds))) }) },
        };
        return new RpcException(new GrpcStatus(StatusCode.Unavailable, reason), new Metadata { { StatusDetailsTrailer, details.ToByteArray() } });
    }

    /// <summary>The retry delay an UNAVAILABLE answer carries, or null (how a client reads it).</summary>
    public static TimeSpan? RetryDelay(Metadata trailers)
    {
        var bytes = trailers.GetValueBytes(StatusDetailsTrailer);
        if (bytes is null)
        {
            return null;
        }

        var status = Google.Rpc.Status.Parser.ParseFrom(bytes);
        return status.Details.FirstOrDefault(detail => detail.Is(RetryInfo.Descriptor)) is { } info
            ? info.Unpack<RetryInfo>().RetryDelay.ToTimeSpan()
            : null;
    }
}
