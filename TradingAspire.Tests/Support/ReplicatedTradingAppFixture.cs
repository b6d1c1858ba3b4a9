namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost with three risk and three execution replicas (each a consumer of its group named by its replica
/// index) and one client, <see cref="LimitClient"/>, whose position limit is <see cref="LimitNotional"/>.
/// </summary>
public sealed class ReplicatedTradingAppFixture : TradingAppFixture
{
    public const int RiskReplicas = 3;
    public const int ExecutionReplicas = 3;
    public const string LimitClient = "test-replica-limit";
    public const decimal LimitNotional = 10_500m;

    protected override IEnumerable<string> Settings =>
    [
        $"Replicas:risk={RiskReplicas}",
        $"Replicas:execution={ExecutionReplicas}",
        $"Risk:Clients:{LimitClient}:MaxPositionNotional={LimitNotional}",
        $"Risk:Clients:{LimitClient}:MaxOrderNotional={LimitNotional}",
        // Many concurrent orders of one client: let the gateway take them all.
        "Gateway:RateLimit:PermitsPerSecond=200",
        "Gateway:RateLimit:Burst=200",
        "Gateway:MaxStreamBacklog=500",
    ];
}

/// <summary>Runs alone, after the parallel collections: one extra AppHost at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicatedTradingAppCollection : ICollectionFixture<ReplicatedTradingAppFixture>
{
    public const string Name = "Replicated trading app";
}
