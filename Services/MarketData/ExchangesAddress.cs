using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>
/// Where the exchanges service is: the address Aspire's service discovery gives
/// (<c>services:exchanges:http:0</c>), else <c>MarketData:ExchangesUrl</c>. HttpClient resolves
/// <c>http://exchanges</c> itself; a WebSocket needs the concrete address, as ws://.
/// </summary>
public sealed class ExchangesAddress(IConfiguration configuration, Microsoft.Extensions.Options.IOptions<MarketDataOptions> options)
{
    public Uri Http => new((configuration["services:exchanges:http:0"] ?? options.Value.ExchangesUrl).TrimEnd('/') + "/");

    public Uri FeedFor(string venue)
    {
        var http = Http;
        var builder = new UriBuilder(http)
        {
            Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = VenueFeedProtocol.PathFor(venue),
        };
        return builder.Uri;
    }
}
