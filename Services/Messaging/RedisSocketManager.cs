using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// How every connection of ours does its socket I/O: on the .NET thread pool. StackExchange.Redis's default is a
/// pool of dedicated threads that spin and yield while waiting for work; on a 2-core machine running seven
/// processes, a profile of risk under load put half of its CPU samples in that loop (<c>sched_yield</c>, futex
/// waits, context switches). See bench/README.md for the before and after.
/// </summary>
public static class RedisSocketManager
{
    public static ConfigurationOptions UseThreadPool(this ConfigurationOptions options)
    {
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
