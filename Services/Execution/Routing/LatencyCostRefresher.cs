using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace TradingAspire.Execution;

/// <summary>
/// Feeds the trace store's analysis back into routing: every <c>ModelRefresh</c> it asks
/// <c>GET /api/analysis/latency-slippage?basis=order</c> for each venue's slope of slippage on latency over the last
/// <c>ModelWindow</c> and puts it in <see cref="LatencyCostModel"/>. Idle under the <c>static</c> policy. A failed fetch keeps
/// the last model (which stops being used after <c>ModelMaxAge</c>) and is logged once until a fetch succeeds again.
/// The fetch is not traced: a trace every 30 s would say nothing about an order.
/// </summary>
public sealed partial class LatencyCostRefresher(
    HttpClient http,
    LatencyCostModel model,
    IOptionsMonitor<RoutingOptions> options,
    TimeProvider time,
    ILogger<LatencyCostRefresher> logger) : BackgroundService
{
    public const string OperatorKeyHeader = "X-Operator-Key";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            if (settings.Policy != RoutingPolicies.Static)
            {
                try
                {
                    var snapshot = await FetchAsync(settings, stoppingToken);
                    model.Update(snapshot);
                    if (failing)
                    {
                        LogRecovered(logger);
                    }

                    failing = false;
                    LogModel(logger, Describe(snapshot));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        LogFetchFailed(logger, ex.Message);
                    }

                    failing = true;
                }
            }

            await Task.Delay(settings.ModelRefresh, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<LatencyCostSnapshot> FetchAsync(RoutingOptions settings, CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        var window = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)settings.ModelWindow.TotalSeconds)}s");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/analysis/latency-slippage?window={window}&basis=order&maxPoints=1");
        request.Headers.Add(OperatorKeyHeader, settings.OperatorKey ?? "");
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The trace store answered {(int)response.StatusCode} to the latency-slippage analysis.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<LatencySlippageAnswer>(cancellationToken)
            ?? throw new System.Text.Json.JsonException("The trace store sent an empty latency-slippage answer.");
        var venues = (body.Venues ?? []).ToDictionary(
            v => v.Venue,
            v => new VenueLatencyCost(v.Venue, v.N, v.SlopeBpsPerMs, v.SlopeLow, v.SlopeHigh, v.PValue, v.MeanLatencyMs, v.MeanSlippageBps,
                LatencyCostModel.Penalty(v.N, v.SlopeBpsPerMs, settings.MinSamples)),
            StringComparer.OrdinalIgnoreCase);
        return new LatencyCostSnapshot(time.GetUtcNow(), settings.ModelWindow, venues);
    }

    private static string Describe(LatencyCostSnapshot snapshot) =>
        snapshot.Venues.Count == 0 ? "no venue measured yet" : string.Join("; ", snapshot.Venues.Values.OrderBy(v => v.Venue, StringComparer.Ordinal).Select(v =>
            string.Create(CultureInfo.InvariantCulture, $"{v.Venue} n={v.N} slope={v.SlopeBpsPerMs:0.#####} bp/ms → {(v.PenaltyBpsPerMs is { } p ? $"{p:0.#####}" : "static")}")));

    /// <summary>The fields of the trace store's answer that routing reads.</summary>
    private sealed record LatencySlippageAnswer(IReadOnlyList<VenueAnswer>? Venues);

    private sealed record VenueAnswer(
        string Venue, long N, double? SlopeBpsPerMs, double? SlopeLow, double? SlopeHigh, double? PValue, double MeanLatencyMs, double MeanSlippageBps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing latency costs from the trace store: {Venues}")]
    private static partial void LogModel(ILogger logger, string venues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the latency costs from the trace store ({Reason}); routing keeps the last ones, then the static price.")]
    private static partial void LogFetchFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Latency costs from the trace store are available again.")]
    private static partial void LogRecovered(ILogger logger);
}
