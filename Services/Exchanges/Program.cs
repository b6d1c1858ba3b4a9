using TradingAspire.Exchanges;

var builder = WebApplication.CreateBuilder(args);
builder.AddExchangesService();

var app = builder.Build();
app.MapExchangesService();

app.Run();
