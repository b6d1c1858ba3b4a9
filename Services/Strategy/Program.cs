using TradingAspire.Strategy;

var builder = WebApplication.CreateBuilder(args);
builder.AddStrategyService();

var app = builder.Build();
app.MapStrategyService();

app.Run();
