namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost with the strategy service on: the imbalance signal every 2 s at most, and arbitrage with a
/// threshold no ordinary price difference beats (25 bp after fees), so only a forced dislocation makes an opportunity.
/// </summary>
public sealed class StrategyTradingAppFixture : TradingAppFixture
{
    protected override IEnumerable<string> Settings =>
    [
        "Strategy:Enabled=true",
        "Strategy:Imbalance:Cooldown=00:00:02",
        "Strategy:Arbitrage:ThresholdBps=25",
        "Strategy:Arbitrage:Cooldown=00:00:02",
        "Strategy:Arbitrage:LimitToleranceBps=10",
        "Strategy:Arbitrage:TimeInForceSeconds=5",
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Strategy).WaitAsync(StartTimeout);
    }
}

/// <summary>Runs alone, after the parallel collections: one extra AppHost at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StrategyTradingAppCollection : ICollectionFixture<StrategyTradingAppFixture>
{
    public const string Name = "Strategy trading app";
}
