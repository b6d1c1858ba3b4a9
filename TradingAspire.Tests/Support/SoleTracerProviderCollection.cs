namespace TradingAspire.Tests.Support;

/// <summary>
/// Tests whose assertions depend on sampling run alone: every TracerProvider in the process listens to
/// the same ActivitySources, and an activity is sampled when any listener asks for it, so another test's
/// always-on host running at the same time would sample spans these tests expect dropped.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoleTracerProviderCollection
{
    public const string Name = "Sole tracer provider";
}
