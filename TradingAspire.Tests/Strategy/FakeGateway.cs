using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Strategy;

namespace TradingAspire.Tests.Strategy;

/// <summary>
/// A gateway on a real Kestrel (127.0.0.1, a free port) that answers the n-th POST /orders with the n-th of its
/// answers (the last one from then on) and records when each arrived; GET /orders/{id} shows the order filled,
/// in the gateway's own <see cref="OrderView"/> shape.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    public const string OrderId = "o-backoff-1";

    private readonly WebApplication app;
    private readonly List<Post> posts = [];
    private int polls;

    private FakeGateway(WebApplication app) => this.app = app;

    /// <summary>One POST /orders as the gateway received it: when (<see cref="Stopwatch.GetTimestamp"/>) and its Idempotency-Key.</summary>
    public sealed record Post(long At, string? IdempotencyKey);

    public string Url => app.Urls.First();

    public IReadOnlyList<Post> Posts
    {
        get
        {
            lock (posts)
            {
                return [.. posts];
            }
        }
    }

    public int Polls => Volatile.Read(ref polls);

    /// <summary>202 with the order id, as the gateway accepts an order.</summary>
    public static IResult Accept(HttpContext http) =>
        Results.Json(new OrderAccepted(OrderId, OrderStatus.Accepted, "trace", false), TradingJson.Options, statusCode: StatusCodes.Status202Accepted);

    /// <summary>A busy answer (ProblemDetails), with Retry-After when given.</summary>
    public static Func<HttpContext, IResult> Busy(int statusCode, int? retryAfterSeconds = null) => http =>
    {
        if (retryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(statusCode: statusCode, title: "Busy");
    };

    public static async Task<FakeGateway> StartAsync(OrderTicket ticket, params Func<HttpContext, IResult>[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var gateway = new FakeGateway(builder.Build());
        gateway.app.MapPost("/orders", (HttpContext http) =>
        {
            int n;
            lock (gateway.posts)
            {
                n = gateway.posts.Count;
                gateway.posts.Add(new Post(Stopwatch.GetTimestamp(), http.Request.Headers["Idempotency-Key"].FirstOrDefault()));
            }

            return answers[Math.Min(n, answers.Length - 1)](http);
        });
        gateway.app.MapGet("/orders/{id}", (string id) =>
        {
            Interlocked.Increment(ref gateway.polls);
            var at = DateTimeOffset.UtcNow;
            return Results.Json(new OrderView(id, ticket.ClientId, ticket.Symbol, ticket.Side, ticket.Type, ticket.Quantity, ticket.LimitPrice,
                OrderStatus.Filled, at.AddMilliseconds(-80), at, ticket.Quantity, 99_999m, null, "kraken", null,
                [new Fill("e1", "kraken", ticket.Quantity, 99_999m, at.AddMilliseconds(-20))], new Dictionary<string, double>(), 80, "trace"),
                TradingJson.Options);
        });
        await gateway.app.StartAsync();
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
