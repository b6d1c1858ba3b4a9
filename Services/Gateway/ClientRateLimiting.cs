using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>Per-client token bucket (section <c>Gateway:RateLimit</c>); over the limit → 429 ProblemDetails with Retry-After.</summary>
public static class ClientRateLimiting
{
    public const string Policy = "per-client";

    public sealed class Options
    {
        public int PermitsPerSecond { get; set; } = 100;
        public int Burst { get; set; } = 200;
    }

    public static IHostApplicationBuilder AddClientRateLimiting(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Gateway:RateLimit").Get<Options>() ?? new Options();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.ClientId() ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.Burst),
                    TokensPerPeriod = Math.Max(1, options.PermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Client '{http.User.ClientId()}' is over {options.PermitsPerSecond} requests/s (burst {options.Burst}).",
                    },
                });
            };
        });
        return builder;
    }
}
