using TradingAspire.TraceAnalytics;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Query;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDuckDbTraceStore();
builder.AddTraceIngest();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapOtlpTraceIngest();
app.MapTraceQueries();
app.MapOpenApi();

app.Run();
