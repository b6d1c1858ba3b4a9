global using TradingAspire.AppHost;
