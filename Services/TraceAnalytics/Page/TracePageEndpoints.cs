namespace TradingAspire.TraceAnalytics;

/// <summary>
/// The trace-analytics page: plain HTML/CSS/JS (and a vendored ECharts) under <c>wwwroot/</c>, served at <c>/</c>.
/// It only reads the <c>/api</c> endpoints; <c>/api/*</c>, <c>/v1/traces</c>, <c>/health</c> and <c>/openapi/*</c>
/// are endpoints, which static files never shadow (the middleware serves a file only when no endpoint matched).
/// </summary>
public static class TracePageEndpoints
{
    public static WebApplication MapTracePage(this WebApplication app)
    {
        // "/" → "/index.html", then the files themselves; the page polls, so it must always see fresh scripts.
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
