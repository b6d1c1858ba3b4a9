using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using HdrHistogram;

namespace TradingAspire.Load.Feed;

/// <summary>marketdata's counters for the venue at one moment, with the time they were read and the CPU time of both services.</summary>
public readonly record struct FeedSample(long Timestamp, long Messages, long Disconnects, long Gaps, double MarketDataCpu, double ExchangesCpu)
{
    public double SecondsSince(FeedSample earlier) => (double)(Timestamp - earlier.Timestamp) / Stopwatch.Frequency;
}

/// <summary>
/// What the benchmark asks the services: marketdata's <c>/feeds/{venue}</c> counters and <c>/feeds/{venue}/latency</c>
/// histogram, and the exchanges admin API's per-venue rate (<c>PUT /admin/venues/{venue}/feed/fault</c>).
/// </summary>
public sealed class FeedProbe(HttpClient http, string venue)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Quotes + trades received (heartbeats and control messages left out).</summary>
    public async Task<FeedSample> SampleAsync(Uri marketData, int marketDataPid, int exchangesPid, CancellationToken cancellationToken)
    {
        var feed = await http.GetFromJsonAsync<FeedDto>(new Uri(marketData, $"feeds/{venue}"), Json, cancellationToken)
            ?? throw new InvalidOperationException("marketdata answered /feeds/{venue} with nothing.");
        var now = Stopwatch.GetTimestamp();
        return new FeedSample(now, feed.Counters.Quotes + feed.Counters.Trades, feed.Counters.Disconnects, feed.Counters.Gaps,
            ProcessCpu.Seconds(marketDataPid), ProcessCpu.Seconds(exchangesPid));
    }

    /// <summary>The latency histogram since marketdata started (µs).</summary>
    public async Task<LongHistogram> LatencyAsync(Uri marketData, CancellationToken cancellationToken)
    {
        var view = await http.GetFromJsonAsync<LatencyDto>(new Uri(marketData, $"feeds/{venue}/latency"), Json, cancellationToken)
            ?? throw new InvalidOperationException("marketdata answered /feeds/{venue}/latency with nothing.");
        var histogram = new LongHistogram(60_000_000, 3);
        foreach (var bucket in view.Buckets)
        {
            histogram.RecordValueWithCount(bucket[0], bucket[1]);
        }

        return histogram;
    }

    /// <summary>Sets the venue's offered rate (messages/s per connection) through the admin API.</summary>
    public async Task SetRateAsync(Uri exchanges, int messagesPerSecond, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(exchanges, $"admin/venues/{venue}/feed/fault"))
        {
            Content = JsonContent.Create(new { messagesPerSecond }),
        };
        request.Headers.Add("X-Admin-Key", FeedServices.AdminKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setting {venue}'s rate to {messagesPerSecond}/s failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Waits until the venue's messages flow into marketdata (the feed subscribed and sending).</summary>
    public async Task WaitFlowingAsync(Uri marketData, int marketDataPid, int exchangesPid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                if ((await SampleAsync(marketData, marketDataPid, exchangesPid, cancellationToken)).Messages > 0)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new Load.LoadSetupException($"No {venue} messages reached marketdata within {timeout.TotalSeconds:0} s; see the logs.");
    }

    /// <summary>The interval's latencies: the later snapshot minus the earlier, bucket by bucket.</summary>
    public static LongHistogram Difference(LongHistogram later, LongHistogram earlier)
    {
        var counts = new Dictionary<long, long>();
        foreach (var value in earlier.RecordedValues())
        {
            counts[value.ValueIteratedTo] = value.CountAtValueIteratedTo;
        }

        var result = new LongHistogram(60_000_000, 3);
        foreach (var value in later.RecordedValues())
        {
            var count = value.CountAtValueIteratedTo - counts.GetValueOrDefault(value.ValueIteratedTo);
            if (count > 0)
            {
                result.RecordValueWithCount(value.ValueIteratedTo, count);
            }
        }

        return result;
    }

    private sealed record FeedDto(CountersDto Counters);

    private sealed record CountersDto(long Quotes, long Trades, long Disconnects, long Gaps);

    private sealed record LatencyDto(long Count, List<long[]> Buckets);
}
