using System.Net;

namespace TradingAspire.Load.Feed;

/// <summary>
/// An OTLP/HTTP endpoint that accepts and discards everything, so the services export their metrics, traces and logs
/// as they do under Aspire (the exporters' work is part of "monitoring on") without a dashboard in the measurement.
/// </summary>
public sealed class OtlpSink : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private long requests;
    private long bytes;

    public OtlpSink(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Endpoint { get; }

    public long Requests => Interlocked.Read(ref requests);

    public long Bytes => Interlocked.Read(ref bytes);

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    var read = 0L;
                    var buffer = new byte[16 * 1024];
                    int n;
                    while ((n = await context.Request.InputStream.ReadAsync(buffer)) > 0)
                    {
                        read += n;
                    }

                    Interlocked.Add(ref bytes, read);
                    Interlocked.Increment(ref requests);
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                    context.Response.ContentLength64 = 0;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The exporter gave up or the service stopped.
                }
            });
        }
    }

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
    }
}
