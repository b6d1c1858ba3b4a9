using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TradingAspire.Tests.Support;

/// <summary>
/// A TCP proxy on loopback in front of a real server that can cut a connection at the worst
/// moment: when a request containing a marker passes, either before it reaches the server (the
/// command never runs) or after the server answered (it ran, but the reply is lost). Either way
/// both sides of that connection are then closed, as when a network link dies.
/// </summary>
public sealed class FaultyTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint upstream;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private readonly Task accepting;
    private Cut? armed;

    public FaultyTcpProxy(IPEndPoint upstream)
    {
        this.upstream = upstream;
        listener.Start();
        accepting = AcceptLoopAsync();
    }

    public enum Where
    {
        /// <summary>The request is dropped: the server never sees it.</summary>
        BeforeTheServer,

        /// <summary>The request reaches the server; its reply is dropped.</summary>
        AfterTheServer,
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Cuts { get; private set; }

    /// <summary>Cuts the connection that next carries a request containing <paramref name="marker"/>.</summary>
    public void CutNext(string marker, Where where) => Volatile.Write(ref armed, new Cut(Encoding.UTF8.GetBytes(marker), where));

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(upstream, stop.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var connection = new Connection(client, server);
            lock (pumps)
            {
                pumps.Add(Task.WhenAll(ClientToServerAsync(connection), ServerToClientAsync(connection)));
            }
        }
    }

    private async Task ClientToServerAsync(Connection connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var from = connection.Client.GetStream();
            var to = connection.Server.GetStream();
            while (true)
            {
                var read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                var cut = Volatile.Read(ref armed);
                if (cut is not null && buffer.AsSpan(0, read).IndexOf(cut.Marker) >= 0 &&
                    Interlocked.CompareExchange(ref armed, null, cut) == cut)
                {
                    Cuts++;
                    if (cut.Where == Where.BeforeTheServer)
                    {
                        connection.Close();
                        return;
                    }

                    connection.DropRepliesAndClose = true;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The link was cut (by us or the other side), or the proxy is stopping.
        }
        finally
        {
            connection.Close();
        }
    }

    private async Task ServerToClientAsync(Connection connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var from = connection.Server.GetStream();
            var to = connection.Client.GetStream();
            while (true)
            {
                var read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (connection.DropRepliesAndClose)
                {
                    connection.Close();
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The link was cut (by us or the other side), or the proxy is stopping.
        }
        finally
        {
            connection.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (pumps)
        {
            running = [.. pumps];
        }

        await Task.WhenAll(running);
        stop.Dispose();
    }

    private sealed record Cut(byte[] Marker, Where Where);

    private sealed class Connection(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;
        public TcpClient Server { get; } = server;
        public volatile bool DropRepliesAndClose;
        public volatile bool Closed;

        public void Close()
        {
            lock (this)
            {
                if (Closed)
                {
                    return;
                }

                Closed = true;
                Client.Client.LingerState = new LingerOption(true, 0); // RST, like a dead link
            }

            Client.Dispose();
            Server.Dispose();
        }
    }
}
