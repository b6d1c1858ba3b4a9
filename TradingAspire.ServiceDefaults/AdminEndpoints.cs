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
        return app.MapGroup("/admin").WithTags("Admin").ExcludeFromDescription()
            .RequireHeaderKey(
                AdminOptions.KeyHeader,
                services => services.GetRequiredService<IOptionsMonitor<AdminOptions>>().CurrentValue is { Enabled: true } settings ? settings.ApiKey : null,
                () => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: "Admin endpoints are disabled (set Admin:Enabled=true)."),
                "Admin key");
    }
}
