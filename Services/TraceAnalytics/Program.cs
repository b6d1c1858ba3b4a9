using TradingAspire.TraceAnalytics;

var builder = WebApplication.CreateBuilder(args);
builder.AddTraceAnalyticsService();

var app = builder.Build();
app.MapTraceAnalyticsService();

app.Run();
