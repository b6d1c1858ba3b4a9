using Spectre.Console.Cli;
using TradingAspire.Load;

var app = new CommandApp<LoadCommand>();
app.Configure(config =>
{
    config.SetApplicationName("tradingaspire-load");
    config.AddCommand<TradingAspire.Load.Suite.SuiteCommand>("suite")
        .WithDescription("Every benchmark in one run (AppHost per tracing setting, redis-benchmark, load runs, micro-benchmarks, trace store ingest), one table.");
});
return await app.RunAsync(args);
