using TradingAspire.MarketData;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarketDataService();

var app = builder.Build();
app.MapMarketDataService();

app.Run();
