using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace TradingAspire.Exchanges;

/// <summary>Admin-only fault injection: take a venue down, slow it, make it reject everything, dislocate its prices.</summary>
public static class VenueAdminEndpoints
{
    /// <summary>The largest price dislocation an admin may inject (bp); the risk collar is 5 %.</summary>
    public const double MaxPriceOffsetBps = 500;

    public static RouteGroupBuilder MapVenueAdminEndpoints(this RouteGroupBuilder admin)
    {
        var faults = admin.MapGroup("/venues");

        faults.MapGet("/faults", (VenueFaults injected) => TypedResults.Ok(injected.All));

        faults.MapPut("/{venue}/fault", Results<Ok<VenueFault>, ProblemHttpResult> (string venue, VenueFault fault, VenueFaults injected, IOptionsMonitor<ExchangeOptions> options, ILogger<VenueFaults> logger) =>
        {
            if (!options.CurrentValue.Venues.ContainsKey(venue))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown venue", detail: $"No venue named '{venue}'.");
            }

            if (fault.ExtraLatencyMs is < 0 or > 10_000)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault",
                    detail: "extraLatencyMs must be between 0 and 10000 (a child order must finish within the venue's 15 s claim).");
            }

            if (double.IsNaN(fault.PriceOffsetBps) || Math.Abs(fault.PriceOffsetBps) > MaxPriceOffsetBps)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault",
                    detail: $"priceOffsetBps must be between -{MaxPriceOffsetBps} and {MaxPriceOffsetBps}.");
            }

            injected.Set(venue, fault);
            FaultLog.Injected(logger, venue, fault.Down, fault.ExtraLatencyMs, fault.RejectAll, fault.PriceOffsetBps);
            return TypedResults.Ok(fault);
        });

        faults.MapDelete("/{venue}/fault", (string venue, VenueFaults injected, ILogger<VenueFaults> logger) =>
        {
            var cleared = injected.Clear(venue);
            FaultLog.Cleared(logger, venue);
            return cleared ? Results.NoContent() : Results.NotFound();
        });

        return faults;
    }
}

internal static partial class FaultLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected into {Venue}: down={Down} extraLatencyMs={ExtraLatencyMs} rejectAll={RejectAll} priceOffsetBps={PriceOffsetBps}")]
    public static partial void Injected(ILogger logger, string venue, bool down, int extraLatencyMs, bool rejectAll, double priceOffsetBps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault cleared from {Venue}")]
    public static partial void Cleared(ILogger logger, string venue);
}
