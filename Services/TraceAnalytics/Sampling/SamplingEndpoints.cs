using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary><c>GET /api/sampling</c>: what tail sampling kept and dropped (<see cref="SamplingStatusResponse"/>).</summary>
public static class SamplingEndpoints
{
    public static IEndpointRouteBuilder MapSamplingStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/sampling", GetStatus)
            .WithTags("Ingest")
            .WithName("GetSamplingStatus")
            .WithSummary("Tail sampling: enabled, keep share, traces waiting for a decision, traces kept by reason and dropped by reason since the service started");
        return endpoints;
    }

    public static Ok<SamplingStatusResponse> GetStatus(TailSampler sampler) => TypedResults.Ok(sampler.Status());
}
