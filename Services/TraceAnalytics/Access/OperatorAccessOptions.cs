namespace TradingAspire.TraceAnalytics.Access;

/// <summary>
/// Configuration section <c>TraceAnalytics:Api</c>: who may read the trace store. The AppHost hands the generated
/// secret parameter <c>operator-key</c> over as <c>TraceAnalytics__Api__OperatorKey</c>. Without it the API and
/// the page are closed (503), never open.
/// </summary>
public sealed class OperatorAccessOptions
{
    public const string Section = "TraceAnalytics:Api";

    /// <summary>The key API requests carry in <see cref="OperatorAccess.KeyHeader"/>, and the page's login asks for.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>How long the page's login cookie stays valid.</summary>
    public double SessionHours { get; set; } = 12;
}
