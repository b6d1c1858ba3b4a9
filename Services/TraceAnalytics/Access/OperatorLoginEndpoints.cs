using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace TradingAspire.TraceAnalytics.Access;

/// <summary>
/// The page's login: <c>GET /login</c> shows a form asking for the operator key, <c>POST /login</c>
/// (form field <c>key</c>) checks it and sets an HttpOnly, SameSite=Strict session cookie, then
/// redirects to the page; <c>POST /logout</c> removes the cookie. The key travels in a POST body,
/// never in a URL (history, logs, traces).
/// </summary>
public static class OperatorLoginEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    private static readonly Lazy<string> Form = new(() =>
    {
        using var stream = typeof(OperatorLoginEndpoints).Assembly.GetManifestResourceStream("TradingAspire.TraceAnalytics.Access.login.html")
            ?? throw new InvalidOperationException("The login form is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapOperatorLogin(this IEndpointRouteBuilder endpoints)
    {
        var login = endpoints.MapGroup("").WithTags("Login").ExcludeFromDescription();
        login.MapGet(LoginPath, ShowAsync);
        login.MapPost(LoginPath, LoginAsync).DisableAntiforgery();
        login.MapPost(LogoutPath, Logout).DisableAntiforgery();
        return endpoints;
    }

    private static async Task ShowAsync(HttpContext context, IOptionsMonitor<OperatorAccessOptions> options, TimeProvider clock, string? returnUrl)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.OperatorKey))
        {
            await OperatorAccess.NotConfiguredAsync(context);
            return;
        }

        if (OperatorAccess.IsAuthenticated(context.Request, settings, clock))
        {
            context.Response.Redirect(LocalPath(returnUrl));
            return;
        }

        await WriteLoginFormAsync(context, StatusCodes.Status200OK, LocalPath(returnUrl), failed: false);
    }

    private static async Task LoginAsync(HttpContext context, IOptionsMonitor<OperatorAccessOptions> options, TimeProvider clock)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.OperatorKey))
        {
            await OperatorAccess.NotConfiguredAsync(context);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await OperatorAccess.WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Form expected",
                "Post the login form (application/x-www-form-urlencoded) with the operator key in the field 'key'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalPath(form["returnUrl"].ToString());
        var key = form["key"].ToString();
        if (key.Length == 0 || !KeyComparison.FixedTimeMatches(settings.OperatorKey, key))
        {
            await WriteLoginFormAsync(context, StatusCodes.Status401Unauthorized, returnUrl, failed: true);
            return;
        }

        context.Response.Cookies.Append(OperatorAccess.CookieName, OperatorAccess.IssueSession(settings.OperatorKey, clock.GetUtcNow()), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromHours(settings.SessionHours),
            IsEssential = true,
        });
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = returnUrl;
    }

    private static void Logout(HttpContext context)
    {
        context.Response.Cookies.Delete(OperatorAccess.CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true });
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = LoginPath;
    }

    /// <summary>The login form (static HTML), posting back to <see cref="LoginPath"/> and then on to <paramref name="returnUrl"/>.</summary>
    public static Task WriteLoginFormAsync(HttpContext context, int status, string returnUrl, bool failed)
    {
        var html = Form.Value
            .Replace("{{returnUrl}}", HtmlEncoder.Default.Encode(LocalPath(returnUrl)), StringComparison.Ordinal)
            .Replace("{{failedHidden}}", failed ? "" : "hidden", StringComparison.Ordinal);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"{OperatorAccess.Scheme} header=\"{OperatorAccess.KeyHeader}\"";
        }

        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(html, context.RequestAborted);
    }

    /// <summary>A path on this site (never another host: no open redirect), <c>/</c> otherwise.</summary>
    private static string LocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.StartsWith(LoginPath, StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";
}
