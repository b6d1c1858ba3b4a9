namespace TradingAspire.TraceAnalytics;

/// <summary>
/// The trace-analytics page: plain HTML/CSS/JS (and a vendored ECharts) under <c>wwwroot/</c>, served at <c>/</c>.
/// It only reads the <c>/api</c> endpoints. <c>/api/*</c>, <c>/v1/traces</c>, <c>/health</c> and <c>/openapi/*</c>
/// stay as they are: they are endpoints, and the static-file middleware serves a file only when no endpoint matched.
/// Like the API, its files are served only to an operator (<see cref="Access.OperatorAccess"/>, which runs first):
/// a browser without the login cookie gets the login form instead.
/// (In the root namespace, like the service's other wiring, so <c>MapTraceAnalyticsService</c> reads as a list.)
/// </summary>
public static class TracePageEndpoints
{
    public static WebApplication MapTracePage(this WebApplication app)
    {
        // "/" → "/index.html"; no-cache makes the browser revalidate (ETag), so an updated service never runs stale scripts.
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
