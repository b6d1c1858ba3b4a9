using TradingAspire.TraceAnalytics;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Query;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDuckDbTraceStore();
builder.AddTraceIngest();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOtlpTraceIngest();
app.MapTraceQueries();

app.Run();
