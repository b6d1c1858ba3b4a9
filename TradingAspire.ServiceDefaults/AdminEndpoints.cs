using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Admin endpoints (fault injection, dead-letter replay), section <c>Admin</c>: off unless
/// <c>Admin:Enabled</c> is true, and then only with <c>X-Admin-Key</c> equal to <c>Admin:ApiKey</c>
/// (an Aspire secret parameter).
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const string KeyHeader = "X-Admin-Key";

    public bool Enabled { get; set; }

    public string? ApiKey { get; set; }
}

public static class AdminEndpoints
{
    /// <summary>A <c>/admin</c> route group guarded by <see cref="AdminOptions"/>: 404 when off, 401 without the key.</summary>
    public static RouteGroupBuilder MapAdminGroup(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").ExcludeFromDescription();
        admin.AddEndpointFilter(async (context, next) =>
        {
            var settings = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<AdminOptions>>().CurrentValue;
            if (!settings.Enabled || string.IsNullOrEmpty(settings.ApiKey))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: "Admin endpoints are disabled (set Admin:Enabled=true).");
            }

            var key = context.HttpContext.Request.Headers[KeyHeaderName].ToString();
            if (key.Length == 0 || !ClientKeys.FixedTimeEquals(settings.ApiKey, key))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required",
                    detail: $"Send the admin key in {KeyHeaderName}.");
            }

            return await next(context);
        });
        return admin;
    }

    private const string KeyHeaderName = AdminOptions.KeyHeader;
}
