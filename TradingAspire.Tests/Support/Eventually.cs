namespace TradingAspire.Tests.Support;

/// <summary>Polls a condition until it holds or the timeout passes (no fixed sleeps standing in for waiting).</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                last = ex;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.", last);
    }

    /// <summary><see cref="Get{T}"/> for a value type (e.g. a <c>JsonElement</c>): null means not yet.</summary>
    public static async Task<T> Value<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : struct =>
        (await Get(async () => await probe() is { } value ? new Box<T>(value) : null, timeout, what)).Value;

    public static async Task True(Func<Task<bool>> probe, TimeSpan timeout, string what)
    {
        await Get<object>(async () => await probe() ? new object() : null, timeout, what);
    }
}
