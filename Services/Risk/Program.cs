using TradingAspire.Risk;

var builder = WebApplication.CreateBuilder(args);
builder.AddRiskService();

var app = builder.Build();
app.MapRiskService();

app.Run();
