using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// Logs follow the head-sampling decision. A log line written inside a trace that was left out
/// (its activity is not recorded) is dropped when it is below Warning. Warnings and errors are
/// always kept, and so is anything written outside a trace (start-up, housekeeping). At a ratio of
/// 0.01 the per-order Information lines (accepted, filled, final) shrink with the traces. They are
/// exported to the dashboard and written to the console for every order, so this saves work. Lines
/// of a kept trace stay whole, so each one still links to its trace. Only installed below a ratio
/// of 1. The check is one property read and no allocation.
/// </summary>
public sealed class TraceFollowingLogSampler : LoggingSampler
{
    public override bool ShouldSample<TState>(in LogEntry<TState> logEntry) =>
        logEntry.LogLevel >= LogLevel.Warning || Activity.Current is not { } current || current.Recorded;
}
