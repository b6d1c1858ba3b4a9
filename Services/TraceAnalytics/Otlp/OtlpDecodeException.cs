namespace TradingAspire.TraceAnalytics.Otlp;

/// <summary>A request body that is not a well-formed ExportTraceServiceRequest; the message says why.</summary>
public sealed class OtlpDecodeException(string message) : Exception(message);
