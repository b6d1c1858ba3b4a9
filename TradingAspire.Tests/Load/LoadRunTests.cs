using System.Text.Json;
using Aspire.Hosting.Testing;
using TradingAspire.Load;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Load;

/// <summary>The load tool, whole, against the real AppHost: every order it sends is accounted for.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class LoadRunTests(TradingAppFixture app)
{
    [Fact]
    public async Task A_short_run_follows_every_accepted_order_to_its_outcome_and_writes_its_summary_and_chart()
    {
        var output = Path.Combine(Path.GetTempPath(), "load-test-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new LoadSettings
        {
            Rate = 20,
            WarmupSeconds = 1,
            DurationSeconds = 3,
            Clients = 10,
            DrainSeconds = 30,
            Gateway = app.App.GetEndpoint(ResourceNames.Gateway, "http").ToString(),
            Notifications = app.App.GetEndpoint(ResourceNames.Notification, "http").ToString(),
            Secret = app.ClientKeySecret,
            Output = output,
            Plain = true,
        };
        Assert.True(settings.Validate().Successful);

        try
        {
            var (exitCode, summary) = await LoadCommand.RunAsync(settings, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

            Assert.Equal(0, exitCode);
            Assert.Equal(60, summary.Sent);
            Assert.Equal(60, summary.Accepted);
            Assert.Equal(60, summary.Completed);
            Assert.Equal(0, summary.Lost);
            Assert.Empty(summary.Errors);
            Assert.Equal(60, summary.Outcomes.Values.Sum());
            Assert.Equal(60 - summary.NotificationsMissed, summary.SendToFinal.Count);
            Assert.True(summary.SendToFinal.P50 >= summary.PostTo202.P50, $"an outcome comes after its 202: {summary.SendToFinal.P50} vs {summary.PostTo202.P50} ms");

            using var written = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
            Assert.Equal(60, written.RootElement.GetProperty("accepted").GetInt64());
            Assert.True(written.RootElement.GetProperty("timeline").GetArrayLength() >= 4, "a point per second of the run");
            var chart = await File.ReadAllTextAsync(Path.Combine(output, "chart.html"));
            Assert.Contains("echarts.init", chart);
            Assert.Contains("send→final p99", chart);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
