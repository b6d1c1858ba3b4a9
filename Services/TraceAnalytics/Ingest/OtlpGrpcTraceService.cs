using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// OTLP/gRPC trace ingest, the generated <see cref="TraceService.TraceServiceBase"/> stub implemented: the key from
/// the <see cref="IngestOptions.ApiKeyHeader"/> metadata, then the same ingest step as OTLP/HTTP
/// (<see cref="OtlpTraceIngest"/>). Answered once the spans are stored, with partial_success for refused spans;
/// failures map to the statuses of <see cref="OtlpGrpcErrors"/>. Bound through <see cref="BindService"/> so the
/// request marshaller of <see cref="OtlpGrpcMethods.Export"/> is used.
/// </summary>
[BindServiceMethod(typeof(OtlpGrpcTraceService), nameof(BindService))]
public sealed class OtlpGrpcTraceService(IngestKeyCheck keyCheck, OtlpTraceIngest ingest) : TraceService.TraceServiceBase
{
    /// <summary>
    /// Grpc.AspNetCore finds <see cref="Export"/> by the method's name, as an override of the stub's (hence the stub's
    /// base type as the second parameter); the handler argument is unused.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, TraceService.TraceServiceBase? service) =>
        binder.AddMethod(OtlpGrpcMethods.Export, (UnaryServerMethod<ExportTraceServiceRequest, ExportTraceServiceResponse>?)null);

    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        if (keyCheck.Refusal(context.RequestHeaders.GetValue(IngestOptions.ApiKeyHeader)) is { } refusal)
        {
            throw OtlpGrpcErrors.Unauthenticated(refusal);
        }

        var result = await ingest.IngestAsync(request, context.CancellationToken);
        return result.Outcome == IngestOutcome.Stored
            ? result.Response
            : throw OtlpGrpcErrors.Unavailable(result.Reason, result.RetryAfterSeconds);
    }
}
