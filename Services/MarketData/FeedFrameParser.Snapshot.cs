using System.Text.Json;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>The <c>snapshot</c> message's <c>quotes</c> array, read into the frame's snapshot list.</summary>
public static partial class FeedFrameParser
{
    private static bool ReadSnapshotQuotes(ref Utf8JsonReader reader, SymbolTable symbols, FeedFrame frame)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int symbol = -1;
            decimal bid = 0, ask = 0, bidSize = 0, askSize = 0;
            long ts = 0;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(VenueFeedProtocol.Fields.Symbol))
                {
                    reader.Read();
                    symbol = reader.TokenType == JsonTokenType.String ? LookUp(ref reader, symbols) : -1;
                    seen |= 1;
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    reader.Read();
                    seen |= reader.TryGetDecimal(out bid) ? 2 : 0;
                }
                else if (reader.ValueTextEquals("ask"u8))
                {
                    reader.Read();
                    seen |= reader.TryGetDecimal(out ask) ? 4 : 0;
                }
                else if (reader.ValueTextEquals("bidSize"u8))
                {
                    reader.Read();
                    _ = reader.TryGetDecimal(out bidSize);
                }
                else if (reader.ValueTextEquals("askSize"u8))
                {
                    reader.Read();
                    _ = reader.TryGetDecimal(out askSize);
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    reader.Read();
                    _ = reader.TryGetInt64(out ts);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (seen != 7)
            {
                return false;
            }

            if (symbol >= 0)
            {
                frame.Quotes.Add(new SnapshotQuote(symbol, bid, ask, bidSize, askSize, ts));
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
