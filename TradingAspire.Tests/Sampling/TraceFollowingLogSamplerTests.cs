using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Sampling;

/// <summary>
/// Below a ratio of 1, logs follow the traces. An Information line inside a trace that was left
/// out is dropped. Warnings and errors are always kept, and so are lines inside a kept trace and
/// lines written outside any trace. The test runs through a real logging pipeline with the
/// sampler installed the way the services install it.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceFollowingLogSamplerTests
{
    public static TheoryData<string, string, LogLevel, bool> Lines => new()
    {
        { "an Information line of a trace left out is dropped", "unsampled", LogLevel.Information, false },
        { "a Debug line of a trace left out is dropped", "unsampled", LogLevel.Debug, false },
        { "a Warning of a trace left out is kept", "unsampled", LogLevel.Warning, true },
        { "an Error of a trace left out is kept", "unsampled", LogLevel.Error, true },
        { "an Information line of a kept trace is kept", "sampled", LogLevel.Information, true },
        { "an Information line outside any trace is kept", "none", LogLevel.Information, true },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_log_line_is_kept_when_its_trace_is_or_when_it_matters(string situation, string trace, LogLevel level, bool kept)
    {
        var written = new List<string>();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Trace)
                .AddProvider(new ListLoggerProvider(written))
                .AddSampler(new TraceFollowingLogSampler()))
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("orders");
        using var source = new ActivitySource("test.logs." + Guid.NewGuid().ToString("N"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                trace == "sampled" ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);

        using (trace == "none" ? null : source.StartActivity("order"))
        {
            Assert.Equal(trace == "none", Activity.Current is null);
            logger.Log(level, "order {OrderId} accepted", "o-1");
        }

        Assert.True(kept == (written.Count == 1), $"{situation}: {written.Count} lines written");
    }

    private sealed class ListLoggerProvider(List<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(written);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> written) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                written.Add(formatter(state, exception));
        }
    }
}
