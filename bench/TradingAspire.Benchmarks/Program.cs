using Spectre.Console;
using TradingAspire.Benchmarks;

// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- pickup [messages] [perSecond]
// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- durability [rounds] [perRound] [concurrency]
// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- tracestore-ingest [spans]
// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- tracestore-query [spans] [spans...]
// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- tracestore-writer [spansPerRun] [exporters...]
// dotnet run -c Release --project bench/TradingAspire.Benchmarks -- tracestore-tailsampling [orders] [keepShare]
var mode = args.FirstOrDefault() ?? "pickup";
switch (mode)
{
    case "pickup":
        var messages = args.Length > 1 ? int.Parse(args[1]) : 500;
        var rate = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50;
        return await PickupLatencyBenchmark.RunAsync(messages, rate);
    case "durability":
        return await DurabilityBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1]) : 5, args.Length > 2 ? int.Parse(args[2]) : 2000, args.Length > 3 ? int.Parse(args[3]) : 32);
    case "tracestore-ingest":
        return await TraceStoreBenchmark.RunAsync([args.Length > 1 ? long.Parse(args[1]) : 1_000_000], queries: false);
    case "tracestore-query":
        var sizes = args.Skip(1).Select(long.Parse).ToArray();
        return await TraceStoreBenchmark.RunAsync(sizes.Length > 0 ? sizes : [1_000_000, 10_000_000], queries: true);
    case "tracestore-writer":
        var exporters = args.Skip(2).Select(int.Parse).ToArray();
        return await TraceWriterBenchmark.RunAsync(args.Length > 1 ? long.Parse(args[1]) : 300_000, exporters.Length > 0 ? exporters : [1, 6]);
    case "tracestore-tailsampling":
        return await TailSamplingBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 30_000,
            args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.01);
    default:
        AnsiConsole.MarkupLine("usage: [bold]pickup[/] [[messages]] [[perSecond]] | [bold]durability[/] [[rounds]] [[perRound]] [[concurrency]] | [bold]tracestore-ingest[/] [[spans]] | [bold]tracestore-query[/] [[spans...]] | [bold]tracestore-writer[/] [[spansPerRun]] [[exporters...]] | [bold]tracestore-tailsampling[/] [[orders]] [[keepShare]]");
        return 2;
}
