using Microsoft.Extensions.Configuration;

namespace TradingAspire.AppHost;

/// <summary>
/// Replicas of a consuming service (<c>--Replicas:risk=3</c>; default 1). Each replica is told its index
/// (<see cref="IndexVariable"/>, filled in by the orchestrator per replica), which makes its consumer name stable
/// (<c>&lt;group&gt;-&lt;index&gt;</c>): a replica that restarts gets the same name back and picks up its own pending entries.
/// </summary>
public static class ServiceReplicas
{
    public const string Section = "Replicas";

    /// <summary>The environment variable holding a replica's index (0, 1, …).</summary>
    public const string IndexVariable = "TRADING_REPLICA_INDEX"; // = Messaging.ConsumerNames.ReplicaIndexVariable (tested)

    public const int Max = 16;

    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(this IResourceBuilder<ProjectResource> service)
    {
        var key = $"{Section}:{service.Resource.Name}";
        var count = service.ApplicationBuilder.Configuration.GetValue(key, 1);
        if (count is < 1 or > Max)
        {
            throw new DistributedApplicationException($"{key} must be between 1 and {Max}, not {count}.");
        }

        service.WithEnvironment(IndexVariable, "{{- index .Annotations \"resource-replica-index\" -}}");
        return count > 1 ? service.WithReplicas(count) : service;
    }
}
