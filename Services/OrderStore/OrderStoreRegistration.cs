using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TradingAspire.OrderStore;

public static class OrderStoreRegistration
{
    /// <summary>Registers <see cref="OrderRecordStore"/>; Redis itself comes from AddRedisStreams/AddRedisClient.</summary>
    public static IServiceCollection AddOrderStore(this IServiceCollection services)
    {
        services.TryAddSingleton<OrderRecordStore>();
        return services;
    }
}
