using TradingAspire.TraceAnalytics.Query;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class QueryParametersTests
{
    private static readonly DateTime Now = new(2025, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("30s", 30)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("PT15M", 900)]
    [InlineData("1.5h", 5400)]
    public void Durations_are_read_in_short_and_ISO_8601_forms(string text, double seconds)
    {
        Assert.True(QueryParameters.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("15x")]
    [InlineData("m")]
    [InlineData("0m")]
    [InlineData("P")]
    public void Malformed_durations_are_refused(string text) => Assert.False(QueryParameters.TryParseDuration(text, out _));

    [Fact]
    public void The_default_window_is_the_last_15_minutes()
    {
        var errors = new QueryErrors();

        Assert.Equal(new TimeWindow(Now.AddMinutes(-15), Now), QueryParameters.ParseWindow(null, null, null, Now, errors));
        Assert.Equal(new TimeWindow(Now.AddHours(-1), Now), QueryParameters.ParseWindow(null, null, "1h", Now, errors));
        Assert.Equal(new TimeWindow(Now.AddHours(-2), Now.AddHours(-1)), QueryParameters.ParseWindow(null, "2025-05-01T11:00:00Z", "1h", Now, errors));
        Assert.Equal(new TimeWindow(Now.AddHours(-3), Now), QueryParameters.ParseWindow("2025-05-01T09:00:00Z", null, null, Now, errors));
        Assert.Equal(new TimeWindow(Now.AddHours(-3), Now.AddHours(-2)), QueryParameters.ParseWindow("2025-05-01T09:00:00Z", null, "1h", Now, errors));
        Assert.Equal(new TimeWindow(Now.AddHours(-3), Now.AddHours(-2)), QueryParameters.ParseWindow("2025-05-01T11:00:00+02:00", "2025-05-01T10:00:00", null, Now, errors));
        Assert.False(errors.Any);
        Assert.Equal(new TimeWindow(Now.AddHours(-2), Now.AddHours(-1)), new TimeWindow(Now.AddHours(-1), Now).Previous());
    }
}
