using Spectre.Console.Cli;
using TradingAspire.Load;

var app = new CommandApp<LoadCommand>();
app.Configure(config => config.SetApplicationName("tradingaspire-load"));
return await app.RunAsync(args);
