using System.Buffers;
using System.Text.Json;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>The client → venue messages (rare: login, subscribe, replay, snapshot), as UTF-8 JSON.</summary>
public static class FeedRequests
{
    public static byte[] Login(string token) => Write(w =>
    {
        w.WriteString(VenueFeedProtocol.Fields.Type, VenueFeedProtocol.Types.Login);
        w.WriteString(VenueFeedProtocol.Fields.Token, token);
    });

    public static byte[] Subscribe(IEnumerable<string> symbols) => Write(w =>
    {
        w.WriteString(VenueFeedProtocol.Fields.Type, VenueFeedProtocol.Types.Subscribe);
        w.WriteStartArray(VenueFeedProtocol.Fields.Symbols);
        foreach (var symbol in symbols)
        {
            w.WriteStringValue(symbol);
        }

        w.WriteEndArray();
    });

    public static byte[] Replay(long fromSeq, long toSeq) => Write(w =>
    {
        w.WriteString(VenueFeedProtocol.Fields.Type, VenueFeedProtocol.Types.Replay);
        w.WriteNumber(VenueFeedProtocol.Fields.FromSeq, fromSeq);
        w.WriteNumber(VenueFeedProtocol.Fields.ToSeq, toSeq);
    });

    public static byte[] Snapshot() => Write(w => w.WriteString(VenueFeedProtocol.Fields.Type, VenueFeedProtocol.Types.Snapshot));

    public static byte[] For(FeedRequest request) => request.Kind switch
    {
        FeedRequestKind.Replay => Replay(request.FromSeq, request.ToSeq),
        FeedRequestKind.Snapshot => Snapshot(),
        _ => [],
    };

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
