using TradingAspire.Notification;

var builder = WebApplication.CreateBuilder(args);
builder.AddNotificationService();

var app = builder.Build();
app.MapNotificationService();

app.Run();
