using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using R = TradingAspire.Contracts.VenueFeedProtocol.Reasons;
using T = TradingAspire.Contracts.VenueFeedProtocol.Types;
using F = TradingAspire.Contracts.VenueFeedProtocol.Fields;

namespace TradingAspire.Exchanges.Feed;

/// <summary>
/// Reads a session's client frames and answers them: login, subscribe/unsubscribe, replay, snapshot.
/// Anything hostile (too big, binary, not JSON, unknown type or symbol) gets an <c>error</c> frame; only
/// an oversized frame also closes the connection. Nothing a client sends can throw out of here.
/// </summary>
public sealed class FeedRequestHandler(
    PriceWalk walk,
    FeedFaults faults,
    IOptionsMonitor<ExchangeOptions> exchanges,
    IOptionsMonitor<FeedOptions> feedOptions,
    IOptionsMonitor<ServiceAuthOptions> serviceAuth)
{
    private const int MaxSymbolsPerRequest = 64;
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 8 };

    public async Task ReceiveLoopAsync(FeedSession session, WebSocket socket)
    {
        var options = feedOptions.CurrentValue;
        var frame = ArrayPool<byte>.Shared.Rent(Math.Max(256, options.MaxClientFrameBytes));
        var limit = Math.Max(256, options.MaxClientFrameBytes);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                var tooLarge = false;
                do
                {
                    if (count == limit)
                    {
                        tooLarge = true;
                        count = 0;
                    }

                    result = await socket.ReceiveAsync(frame.AsMemory(count, limit - count), session.Lifetime).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        session.RequestClose(WebSocketCloseStatus.NormalClosure, null, discard: true);
                        return;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (session.IsClosing)
                {
                    continue; // waiting for the client's close; anything else is ignored
                }

                if (tooLarge)
                {
                    Error(session, R.BadRequest, $"frames are limited to {limit} bytes");
                    session.RequestClose(WebSocketCloseStatus.PolicyViolation, VenueFeedAdmin.FrameTooLarge, discard: false);
                    continue;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Error(session, R.BadRequest, "only JSON text frames are accepted");
                    continue;
                }

                Handle(session, frame.AsMemory(0, count));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // Aborted, or the client vanished: the session ends.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private void Handle(FeedSession session, ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, ParseOptions);
        }
        catch (JsonException)
        {
            Error(session, R.BadRequest, "the frame is not valid JSON");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(F.Type, out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                Error(session, R.BadRequest, "a message is a JSON object with a string 'type'");
                return;
            }

            var type = typeElement.GetString()!;
            if (!session.LoggedIn)
            {
                if (type == T.Login)
                {
                    Login(session, root);
                }
                else
                {
                    Error(session, R.BadRequest, "log in first");
                }

                return;
            }

            switch (type)
            {
                case T.Login:
                    Error(session, R.BadRequest, "already logged in");
                    break;
                case T.Subscribe:
                    Subscribe(session, root);
                    break;
                case T.Unsubscribe:
                    Unsubscribe(session, root);
                    break;
                case T.Replay:
                    Replay(session, root);
                    break;
                case T.Snapshot:
                    Snapshot(session);
                    break;
                default:
                    Error(session, R.BadRequest, $"unknown message type '{Truncate(type)}'");
                    break;
            }
        }
    }

    private void Login(FeedSession session, JsonElement root)
    {
        var token = root.TryGetProperty(F.Token, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        string? refusal = faults.For(session.Venue.Name).RefuseLogins ? R.LoginsRefused
            : !serviceAuth.CurrentValue.Accepts(token) ? R.BadToken
            : null;
        if (refusal is not null)
        {
            session.Send(refusal, static (w, reason) => FeedMessageWriter.LoginRefused(w, reason));
            session.RequestClose(WebSocketCloseStatus.PolicyViolation, refusal, discard: false);
            return;
        }

        var heartbeatMs = Math.Max(1, feedOptions.CurrentValue.HeartbeatMs);
        session.Send((session.Venue.Name, session.Id, heartbeatMs), static (w, s) => FeedMessageWriter.LoginOk(w, s.Name, s.Id, s.heartbeatMs));
        session.MarkLoggedIn(Stopwatch.GetTimestamp() + heartbeatMs * Stopwatch.Frequency / 1000);
    }

    private void Subscribe(FeedSession session, JsonElement root)
    {
        if (ReadSymbols(session, root) is not { } symbols)
        {
            return;
        }

        var added = session.Subscribe(symbols);
        session.Send(symbols.Select(i => session.Venue.Symbols[i]).ToList(), static (w, s) => FeedMessageWriter.SymbolsAck(w, T.Subscribed, s));
        if (added.Count == 0 || faults.For(session.Venue.Name).Stale
            || !exchanges.CurrentValue.Venues.TryGetValue(session.Venue.Name, out var settings))
        {
            return;
        }

        foreach (var index in added)
        {
            var quote = CurrentQuote(session.Venue, index, settings);
            session.SendSequenced(quote, static (w, seq, q) => FeedMessageWriter.Quote(w, seq, q, FeedMessageWriter.NowMicros()));
        }
    }

    private void Unsubscribe(FeedSession session, JsonElement root)
    {
        if (ReadSymbols(session, root) is not { } symbols)
        {
            return;
        }

        session.Unsubscribe(symbols);
        session.Send(symbols.Select(i => session.Venue.Symbols[i]).ToList(), static (w, s) => FeedMessageWriter.SymbolsAck(w, T.Unsubscribed, s));
    }

    /// <summary>The listed symbols of a subscribe/unsubscribe, as indices; an error frame for each unknown one, null when the request is unusable.</summary>
    private static List<int>? ReadSymbols(FeedSession session, JsonElement root)
    {
        if (!root.TryGetProperty(F.Symbols, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            Error(session, R.BadRequest, "'symbols' must be an array of strings");
            return null;
        }

        if (array.GetArrayLength() > MaxSymbolsPerRequest)
        {
            Error(session, R.BadRequest, $"at most {MaxSymbolsPerRequest} symbols per request");
            return null;
        }

        var indices = new List<int>();
        foreach (var item in array.EnumerateArray())
        {
            var symbol = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            var index = symbol is null ? -1 : session.Venue.IndexOf(symbol);
            if (index < 0)
            {
                Error(session, R.UnknownSymbol, symbol is null
                    ? "'symbols' must be an array of strings"
                    : $"'{Truncate(symbol)}' is not listed by {session.Venue.Name}");
                continue;
            }

            indices.Add(index);
        }

        return indices;
    }

    private void Replay(FeedSession session, JsonElement root)
    {
        if (!root.TryGetProperty(F.FromSeq, out var fromElement) || !fromElement.TryGetInt64(out var fromSeq)
            || !root.TryGetProperty(F.ToSeq, out var toElement) || !toElement.TryGetInt64(out var toSeq))
        {
            Error(session, R.BadRequest, "'fromSeq' and 'toSeq' must be integers");
            return;
        }

        var (_, last) = session.ReplayWindow();
        if (fromSeq < 1 || toSeq < fromSeq || toSeq > last)
        {
            Error(session, R.BadRequest, $"a replay asks for 1 <= fromSeq <= toSeq <= {last} (the last seq sent)");
            return;
        }

        var most = Math.Max(1, session.SendBufferMessages / 2);
        if (toSeq - fromSeq + 1 > most)
        {
            Error(session, R.BadRequest, $"a replay asks for at most {most} messages (half the send buffer); ask in parts or take a snapshot");
            return;
        }

        session.Replay(fromSeq, toSeq);
    }

    private void Snapshot(FeedSession session)
    {
        if (!exchanges.CurrentValue.Venues.TryGetValue(session.Venue.Name, out var settings))
        {
            return;
        }

        var quotes = session.Subscribed.Select(i => CurrentQuote(session.Venue, i, settings)).ToList();
        session.SendWithLastSeq(quotes, static (w, lastSeq, q) => FeedMessageWriter.Snapshot(w, lastSeq, FeedMessageWriter.NowMicros(), q));
    }

    private FeedQuote CurrentQuote(VenueFeed venue, int index, VenueOptions settings)
    {
        var quote = walk.Quote(venue.Name, venue.Symbols[index], settings);
        return new FeedQuote(venue.EncodedSymbols[index], quote.Bid, quote.Ask,
            Math.Round(0.01 + Random.Shared.NextDouble() * 10, 4), Math.Round(0.01 + Random.Shared.NextDouble() * 10, 4));
    }

    private static void Error(FeedSession session, string reason, string detail) =>
        session.Send((reason, detail), static (w, e) => FeedMessageWriter.Error(w, e.reason, e.detail));

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
