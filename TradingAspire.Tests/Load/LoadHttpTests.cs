using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using TradingAspire.Load;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Load;

/// <summary>
/// The load tool caps its connections to the gateway. Orders beyond the cap wait in its own pool
/// rather than opening one connection each. Tested against a real Kestrel on loopback that holds
/// every request until the test sees the cap reached.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class LoadHttpTests
{
    [Fact]
    public async Task Requests_beyond_the_connection_cap_wait_for_a_connection_and_all_complete()
    {
        const int cap = 4;
        const int requests = 24;
        var concurrent = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/orders", async () =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref most, now);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Interlocked.Decrement(ref concurrent);
            return Results.Accepted();
        });
        await app.StartAsync();
        using var http = LoadHttp.Client(TimeSpan.FromSeconds(30), cap);
        var uri = new Uri(new Uri(app.Urls.First()), "/orders");

        var sends = Enumerable.Range(0, requests).Select(_ => http.PostAsync(uri, new StringContent("{}"))).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref concurrent) < cap && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(cap, Volatile.Read(ref concurrent));
        release.SetResult();
        var answers = await Task.WhenAll(sends);

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.Accepted, a.StatusCode));
        Assert.Equal(cap, most);
        await app.StopAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
