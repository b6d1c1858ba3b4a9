using TradingAspire.Execution;

var builder = WebApplication.CreateBuilder(args);
builder.AddExecutionService();

var app = builder.Build();
app.MapExecutionService();

app.Run();
