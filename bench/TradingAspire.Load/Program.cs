using Spectre.Console.Cli;
using TradingAspire.Load;

var app = new CommandApp<LoadCommand>();
app.Configure(config =>
{
    config.SetApplicationName("tradingaspire-load");
    config.AddCommand<TradingAspire.Load.Suite.SuiteCommand>("suite")
        .WithDescription("Every benchmark in one run (AppHost per tracing setting, redis-benchmark, load runs, micro-benchmarks, trace store ingest), one table.");
    config.AddCommand<TradingAspire.Load.Feed.FeedCommand>("feed")
        .WithDescription("Issue 10: messages/s one marketdata instance takes from one venue, monitoring on vs off, and feed latency at fixed rates (no AppHost).");
});
return await app.RunAsync(args);
