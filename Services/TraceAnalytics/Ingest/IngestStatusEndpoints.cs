using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary><c>GET /api/ingest/status</c>: whether the store writes and what became of the spans sent to it.</summary>
public static class IngestStatusEndpoints
{
    public static IEndpointRouteBuilder MapIngestStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/ingest/status", GetStatus)
            .WithTags("Ingest")
            .WithName("GetIngestStatus")
            .WithSummary("Whether the store can write, its last append error, and spans accepted, stored, refused (by reason) and dropped (by error type) since the service started");
        return endpoints;
    }

    public static Ok<IngestStatusResponse> GetStatus(IngestMonitor monitor, IngestQueue queue) =>
        TypedResults.Ok(monitor.Snapshot(queue.Count));
}
