using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Risk;

/// <summary>Risk decisions and rejections by reason.</summary>
public sealed class RiskMetrics(ServiceTelemetry telemetry)
{
    private readonly Counter<long> decisions =
        telemetry.Meter.CreateCounter<long>("trading.risk.decisions", "{order}", "Risk decisions, by decision.");
    private readonly Counter<long> rejections =
        telemetry.Meter.CreateCounter<long>("trading.risk.rejections", "{order}", "Orders rejected by risk, by reason.");

    public void Record(RiskDecision decision)
    {
        decisions.Add(1, new KeyValuePair<string, object?>(TradingAttributes.RiskDecision, decision.Approved ? "approved" : "rejected"));
        if (!decision.Approved)
        {
            rejections.Add(1, new KeyValuePair<string, object?>(TradingAttributes.RiskReason, decision.Reason));
        }
    }
}
