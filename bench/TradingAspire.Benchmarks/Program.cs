using Spectre.Console;
using TradingAspire.Benchmarks;

// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- pickup [messages] [perSecond]
var mode = args.FirstOrDefault() ?? "pickup";
switch (mode)
{
    case "pickup":
        var messages = args.Length > 1 ? int.Parse(args[1]) : 500;
        var rate = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50;
        return await PickupLatencyBenchmark.RunAsync(messages, rate);
    default:
        AnsiConsole.MarkupLine("usage: [bold]pickup[/] [[messages]] [[perSecond]]");
        return 2;
}
