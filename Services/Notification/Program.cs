using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.Notification;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClientAuthentication();
builder.AddServiceTelemetry("Notification");
builder.Services.AddOrderStore();
builder.Services.AddSingleton<NotificationMetrics>();
builder.Services.AddSingleton<NotificationChannel>();
builder.Services.AddSingleton<FinalOutcomeWriter>();
builder.Services.AddScoped<OrderFinalizer>();
builder.AddStreamConsumer<ExecutionReport, ExecutionReportHandler>(Streams.OrdersFilled, group: "notification");
builder.AddStreamConsumer<RejectedOrder, RejectionHandler>(Streams.OrdersRejected, group: "notification");
builder.AddStreamConsumer<LatencyAlert, AlertHandler>(Streams.Alerts, group: "notification");

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotificationEndpoints();

app.Run();
