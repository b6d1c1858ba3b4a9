using Microsoft.AspNetCore.Http.HttpResults;
using TradingAspire.TraceAnalytics.Forwarding;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary><c>GET /api/ingest/status</c>: whether the store writes and what became of the spans sent to it.</summary>
public static class IngestStatusEndpoints
{
    public static IEndpointRouteBuilder MapIngestStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/ingest/status", GetStatus)
            .WithTags("Ingest")
            .WithName("GetIngestStatus")
            .WithSummary("Whether the store can write, its last append error, spans accepted, stored, refused (by reason) and dropped (by error type) since the service started, and forwarding to an external tracing backend");
        return endpoints;
    }

    public static Ok<IngestStatusResponse> GetStatus(IngestMonitor monitor, IngestQueue queue, TraceForwarder forwarder) =>
        TypedResults.Ok(monitor.Snapshot(queue.Count) with { Forward = forwarder.Status() });
}
