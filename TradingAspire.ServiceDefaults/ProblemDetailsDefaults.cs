using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace TradingAspire.ServiceDefaults;

/// <summary>Every error answer is RFC 9457 ProblemDetails carrying the W3C trace id.</summary>
public static class ProblemDetailsDefaults
{
    public const string TraceIdKey = "traceId";

    public static IServiceCollection AddTradingProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var traceId = Activity.Current?.TraceId.ToString();
            if (traceId is not null)
            {
                context.ProblemDetails.Extensions[TraceIdKey] = traceId;
            }

            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
}
