using TradingAspire.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayService();

var app = builder.Build();
app.MapGatewayService();

app.Run();
