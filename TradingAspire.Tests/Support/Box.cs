namespace TradingAspire.Tests.Support;

/// <summary>Wraps a struct so that <see cref="Eventually"/> (which waits for a non-null value) can wait for it.</summary>
public sealed record Box<T>(T Value);
