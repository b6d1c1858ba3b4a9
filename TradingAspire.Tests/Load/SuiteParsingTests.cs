using TradingAspire.Load.Suite;
using TradingAspire.Tests.Support;
using Xunit;

namespace TradingAspire.Tests.Load;

/// <summary>What the benchmark suite reads from its tools: tracing settings, redis-cli's INFO, BenchmarkDotNet's CSV.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class SuiteParsingTests
{
    [Theory]
    [InlineData("off", "tracing off", "--Tracing:Enabled=false")]
    [InlineData("0.01", "1% head sampling", "--Tracing:Sampling:Ratio=0.01")]
    [InlineData("1", "100% sampling", "--Tracing:Sampling:Ratio=1")]
    public void A_tracing_setting_becomes_the_AppHost_arguments_that_select_it(string text, string label, string argument)
    {
        var setting = TracingSetting.Parse(text);

        Assert.Equal(label, setting.Label);
        Assert.Contains(argument, setting.AppHostArguments());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("sometimes")]
    public void A_tracing_setting_that_is_neither_off_nor_a_ratio_is_refused(string text) =>
        Assert.Throws<FormatException>(() => TracingSetting.Parse(text));

    [Fact]
    public void Command_counts_come_from_INFO_commandstats_without_the_suites_own_commands()
    {
        const string info = "# Commandstats\r\n" +
                            "cmdstat_xadd:calls=300,usec=900,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r\n" +
                            "cmdstat_evalsha:calls=500,usec=9000,usec_per_call=18.00,rejected_calls=0,failed_calls=2\r\n" +
                            "cmdstat_info:calls=1,usec=50,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n" +
                            "cmdstat_config|resetstat:calls=1,usec=5,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n";

        var calls = RedisTools.ParseCommandStats(info);

        Assert.Equal(new Dictionary<string, long> { ["evalsha"] = 500, ["xadd"] = 300 }, calls);
    }

    [Fact]
    public void A_quoted_csv_cell_keeps_its_commas_and_quotes()
    {
        var cells = Csv.Split("Type,'a, b',\"15,925.91 ns\",\"say \"\"hi\"\"\",3200 B");

        Assert.Equal(["Type", "'a", " b'", "15,925.91 ns", "say \"hi\"", "3200 B"], cells);
    }
}
