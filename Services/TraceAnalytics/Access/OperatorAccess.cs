using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.TraceAnalytics.Access;

/// <summary>
/// Everything the trace store serves, API and page alike, needs the operator key: in the
/// <see cref="KeyHeader"/> header (API clients), or as the session cookie the page's login sets
/// (a browser cannot add headers to a navigation). Only <see cref="OpenPaths"/> stay open: health
/// probes, the OpenAPI document (no data), OTLP ingest over HTTP and gRPC (it has its own key) and the login itself.
/// Without the key: 401 ProblemDetails for the API and assets, the login form for a page. Without a
/// configured key: 503 for everything guarded (fail closed).
/// </summary>
public static class OperatorAccess
{
    public const string KeyHeader = "X-Operator-Key";
    public const string CookieName = "trace-operator";
    public const string Scheme = "OperatorKey";

    private const string SessionPurpose = "trace-page-session\n";

    public static readonly PathString[] OpenPaths =
    [
        ServiceDefaultsExtensions.HealthEndpointPath,
        ServiceDefaultsExtensions.AlivenessEndpointPath,
        "/openapi",
        Ingest.OtlpIngestEndpoints.TracesPath,
        Ingest.OtlpGrpcMethods.ServicePath,
        OperatorLoginEndpoints.LoginPath,
        OperatorLoginEndpoints.LogoutPath,
        "/favicon.svg",
    ];

    /// <summary>Guards every request that comes after it in the pipeline.</summary>
    public static WebApplication UseOperatorAccess(this WebApplication app)
    {
        app.Use(GuardAsync);
        return app;
    }

    public static bool IsOpen(PathString path) => OpenPaths.Any(open => path.StartsWithSegments(open, StringComparison.OrdinalIgnoreCase));

    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (IsOpen(context.Request.Path))
        {
            await next(context);
            return;
        }

        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<OperatorAccessOptions>>().CurrentValue;
        if (string.IsNullOrEmpty(options.OperatorKey))
        {
            await NotConfiguredAsync(context);
            return;
        }

        if (IsAuthenticated(context.Request, options, context.RequestServices.GetRequiredService<TimeProvider>()))
        {
            await next(context);
            return;
        }

        if (IsPageRequest(context.Request))
        {
            await OperatorLoginEndpoints.WriteLoginFormAsync(context, StatusCodes.Status401Unauthorized,
                context.Request.Path + context.Request.QueryString, failed: false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = $"{Scheme} header=\"{KeyHeader}\"";
        await WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "Operator key required",
            $"Send the trace store's operator key in the {KeyHeader} header (the AppHost's operator-key parameter), or log in at {OperatorLoginEndpoints.LoginPath}.");
    }

    /// <summary>The request carries the operator key in <see cref="KeyHeader"/>, or a valid session cookie.</summary>
    public static bool IsAuthenticated(HttpRequest request, OperatorAccessOptions options, TimeProvider clock)
    {
        var key = options.OperatorKey;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var presented = request.Headers[KeyHeader].ToString();
        if (presented.Length > 0)
        {
            return KeyComparison.FixedTimeMatches(key, presented);
        }

        return request.Cookies.TryGetValue(CookieName, out var session) && IsValidSession(key, session, options, clock);
    }

    /// <summary>
    /// A session cookie value: when it was issued and an HMAC of that under the operator key. It holds no
    /// secret, expires after <see cref="OperatorAccessOptions.SessionHours"/>, and a new key ends every session.
    /// </summary>
    public static string IssueSession(string key, DateTimeOffset now)
    {
        var issued = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{issued}.{Sign(key, issued)}";
    }

    private static bool IsValidSession(string key, string session, OperatorAccessOptions options, TimeProvider clock)
    {
        var dot = session.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(session.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var issuedSeconds))
        {
            return false;
        }

        var age = clock.GetUtcNow().ToUnixTimeSeconds() - issuedSeconds;
        if (age < -60 || age > options.SessionHours * 3600)
        {
            return false;
        }

        var expected = Sign(key, session[..dot]);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(session[(dot + 1)..]));
    }

    private static string Sign(string key, string issued) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(SessionPurpose + issued)));

    /// <summary>A browser navigating to a page (not the API, not a script or stylesheet): it gets the login form.</summary>
    private static bool IsPageRequest(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) || request.Path.StartsWithSegments("/api"))
        {
            return false;
        }

        var path = request.Path.Value ?? "/";
        return path == "/" || path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    public static Task NotConfiguredAsync(HttpContext context) =>
        WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Operator key not configured",
            $"The trace store has no operator key configured ({OperatorAccessOptions.Section}:{nameof(OperatorAccessOptions.OperatorKey)}), so its API and page are closed.");

    /// <summary>ProblemDetails with the trace id, as JSON even to a client that asked for something else.</summary>
    public static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        if (Activity.Current is { } activity)
        {
            problem.Extensions[ProblemDetailsDefaults.TraceIdKey] = activity.TraceId.ToString();
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
        }
    }
}
