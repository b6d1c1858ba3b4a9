using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Notification;

/// <summary>The notification service's wiring: final outcomes and alerts in, Server-Sent Events out.</summary>
public static class NotificationApplication
{
    public static WebApplicationBuilder AddNotificationService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddClientAuthentication();
        builder.AddServiceTelemetry("Notification");
        builder.Services.AddOrderStore();
        builder.Services.AddSingleton<NotificationMetrics>();
        builder.Services.AddSingleton<NotificationChannel>();
        builder.Services.AddSingleton<FinalOutcomeWriter>();
        builder.Services.AddScoped<OrderFinalizer>();
        builder.AddPartitionedStreamConsumer<ExecutionReport, ExecutionReportHandler>(Streams.OrdersFilled, group: "notification");
        builder.AddPartitionedStreamConsumer<RejectedOrder, RejectionHandler>(Streams.OrdersRejected, group: "notification");
        builder.AddStreamConsumer<LatencyAlert, AlertHandler>(Streams.Alerts, group: "notification");
        return builder;
    }

    public static WebApplication MapNotificationService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapNotificationEndpoints();
        return app;
    }
}
