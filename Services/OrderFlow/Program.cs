using TradingAspire.OrderFlow;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrderFlowService();

var app = builder.Build();
app.MapOrderFlowService();

app.Run();
