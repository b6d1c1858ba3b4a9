using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// How clients prove who they are (section <c>ClientAuth</c>): each request carries
/// <c>X-Client-Id</c> and <c>X-Api-Key</c>. A key is valid when it is listed for that client under
/// <c>ClientAuth:Keys:&lt;clientId&gt;</c>, or when it is the client's key derived from the
/// deployment secret <c>ClientAuth:Secret</c> (HMAC-SHA256 of the client id; the AppHost generates
/// the secret as an Aspire parameter, nothing is committed).
/// </summary>
public sealed class ClientAuthOptions
{
    public const string Section = "ClientAuth";

    public string? Secret { get; set; }

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}

public static class ClientKeys
{
    public const string Scheme = "ClientApiKey";
    public const string ClientIdHeader = "X-Client-Id";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ClientIdClaim = "client_id";

    /// <summary>The API key of <paramref name="clientId"/> under deployment secret <paramref name="secret"/>.</summary>
    public static string Derive(string secret, string clientId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(clientId)));

    public static bool IsValid(ClientAuthOptions options, string clientId, string key)
    {
        if (options.Keys.TryGetValue(clientId, out var listed) && FixedTimeEquals(listed, key))
        {
            return true;
        }

        return !string.IsNullOrEmpty(options.Secret) && FixedTimeEquals(Derive(options.Secret, clientId), key);
    }

    /// <summary>The authenticated client of a request (null when anonymous).</summary>
    public static string? ClientId(this ClaimsPrincipal user) => user.FindFirst(ClientIdClaim)?.Value;

    internal static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}

/// <summary>Authenticates <c>X-Client-Id</c> + <c>X-Api-Key</c>; failures answer 401 ProblemDetails.</summary>
public sealed class ClientApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ClientAuthOptions> clientOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var clientId = Request.Headers[ClientKeys.ClientIdHeader].ToString();
        var key = Request.Headers[ClientKeys.ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(clientId) && string.IsNullOrEmpty(key))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (clientId.Length is 0 or > 64 || key.Length is 0 or > 256 || !ClientKeys.IsValid(clientOptions.CurrentValue, clientId, key))
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown client or wrong API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClientKeys.ClientIdClaim, clientId)], ClientKeys.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ClientKeys.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{ClientKeys.Scheme} header=\"{ClientKeys.ApiKeyHeader}\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            $"Send {ClientKeys.ClientIdHeader} and {ClientKeys.ApiKeyHeader} with a valid key for that client.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This client may not do that.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

public static class ClientAuthenticationRegistration
{
    /// <summary>Client API-key authentication (the default scheme) and authorization.</summary>
    public static IHostApplicationBuilder AddClientAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ClientAuthOptions>(builder.Configuration.GetSection(ClientAuthOptions.Section));
        builder.Services.AddAuthentication(ClientKeys.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ClientApiKeyHandler>(ClientKeys.Scheme, _ => { });
        builder.Services.AddAuthorization();
        return builder;
    }
}
