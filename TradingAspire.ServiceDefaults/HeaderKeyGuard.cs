using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Endpoints that only holders of a key may call: the key travels in a header and is compared in
/// constant time. Without a configured key the endpoints are closed (the caller says how: hidden,
/// 404, or unavailable, 503), never open; with a wrong or missing key the answer is 401 ProblemDetails.
/// </summary>
public static class HeaderKeyGuard
{
    public static TBuilder RequireHeaderKey<TBuilder>(
        this TBuilder endpoints,
        string header,
        Func<IServiceProvider, string?> configuredKey,
        Func<ProblemHttpResult> whenNotConfigured,
        string keyName)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoints.AddEndpointFilter(async (context, next) =>
        {
            var expected = configuredKey(context.HttpContext.RequestServices);
            if (string.IsNullOrEmpty(expected))
            {
                return whenNotConfigured();
            }

            var presented = context.HttpContext.Request.Headers[header].ToString();
            if (presented.Length == 0 || !ClientKeys.FixedTimeEquals(expected, presented))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"{keyName} required",
                    detail: $"Send the {keyName.ToLowerInvariant()} in {header}.");
            }

            return await next(context);
        });
        return endpoints;
    }
}
