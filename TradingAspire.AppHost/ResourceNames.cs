namespace TradingAspire.AppHost;

/// <summary>The names of the AppHost's resources, as the dashboard, service discovery and the tests use them.</summary>
public static class ResourceNames
{
    public const string Redis = TradingRedis.ResourceName;
    public const string Gateway = "gateway";
    public const string Risk = "risk";
    public const string Execution = "execution";
    public const string Exchanges = "exchanges";
    public const string Notification = "notification";
    /// <summary>The trace store and its analytics (project <c>TradingAspire.TraceAnalytics</c>, configuration section <c>TraceAnalytics</c>).</summary>
    public const string TraceAnalytics = "trace-analytics";
    public const string OrderFlow = "orderflow";
    /// <summary>The built-in strategies: cross-venue arbitrage and a directional signal (project <c>TradingAspire.Strategy</c>, section <c>Strategy</c>).</summary>
    public const string Strategy = "strategy";
    /// <summary>Venue feeds over WebSocket, the consolidated book and feed health (project <c>TradingAspire.MarketData</c>).</summary>
    public const string MarketData = "marketdata";

    /// <summary>The services every order passes through (and the trace store), in start order.</summary>
    public static readonly string[] Services = [TraceAnalytics, Exchanges, MarketData, Risk, Execution, Notification, Gateway];
}

/// <summary>The names of the AppHost's generated secret parameters (dashboard → Parameters).</summary>
public static class ParameterNames
{
    public const string ClientKeySecret = "client-key-secret";
    public const string AdminKey = "admin-key";
    public const string ServiceKey = "service-key";
    public const string OperatorKey = "operator-key";
    public const string IngestKey = "trace-analytics-otlp-key";
    public const string RedisPassword = "redis-password";
}
