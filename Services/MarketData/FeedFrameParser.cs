using System.Text.Json;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>
/// Parses one venue frame with <see cref="Utf8JsonReader"/> straight from the receive buffer into a
/// reused <see cref="FeedFrame"/>. Fields may come in any order; unknown fields are skipped. A frame
/// that is not JSON, has an unknown <c>type</c>, lacks a field its type needs, or names a symbol the
/// venue does not list is answered with its <see cref="MalformedKind"/> — never an exception.
/// </summary>
public static partial class FeedFrameParser
{
    public static MalformedKind Parse(ReadOnlySpan<byte> utf8, SymbolTable symbols, FeedFrame frame)
    {
        frame.Reset();
        try
        {
            var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return MalformedKind.InvalidJson;
            }

            var typeSeen = false;
            var unknownSymbol = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    frame.Type = reader.TokenType == JsonTokenType.String ? TypeOf(ref reader) : FeedMessageType.None;
                    typeSeen = true;
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    frame.Seq = ReadLong(ref reader, frame, FeedFrame.FieldSet.Seq);
                }
                else if (reader.ValueTextEquals("symbol"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        frame.SymbolIndex = LookUp(ref reader, symbols);
                        frame.Present |= FeedFrame.FieldSet.Symbol;
                        unknownSymbol = frame.SymbolIndex < 0;
                    }
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    frame.Bid = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.Bid);
                }
                else if (reader.ValueTextEquals("ask"u8))
                {
                    frame.Ask = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.Ask);
                }
                else if (reader.ValueTextEquals("bidSize"u8))
                {
                    frame.BidSize = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.None);
                }
                else if (reader.ValueTextEquals("askSize"u8))
                {
                    frame.AskSize = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.None);
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    frame.Timestamp = ReadLong(ref reader, frame, FeedFrame.FieldSet.Timestamp);
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    frame.Price = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.Price);
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    frame.Size = ReadDecimal(ref reader, frame, FeedFrame.FieldSet.None);
                }
                else if (reader.ValueTextEquals("replay"u8))
                {
                    reader.Read();
                    frame.Replay = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("lastSeq"u8))
                {
                    frame.LastSeq = ReadLong(ref reader, frame, FeedFrame.FieldSet.LastSeq);
                }
                else if (reader.ValueTextEquals("fromSeq"u8))
                {
                    frame.FromSeq = ReadLong(ref reader, frame, FeedFrame.FieldSet.FromSeq);
                }
                else if (reader.ValueTextEquals("toSeq"u8))
                {
                    frame.ToSeq = ReadLong(ref reader, frame, FeedFrame.FieldSet.ToSeq);
                }
                else if (reader.ValueTextEquals("oldestSeq"u8))
                {
                    frame.OldestSeq = ReadLong(ref reader, frame, FeedFrame.FieldSet.None);
                }
                else if (reader.ValueTextEquals("reason"u8))
                {
                    frame.Reason = ReadString(ref reader) ?? frame.Reason;
                }
                else if (reader.ValueTextEquals("sessionId"u8))
                {
                    frame.SessionId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("heartbeatMs"u8))
                {
                    reader.Read();
                    frame.HeartbeatMs = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var ms) ? ms : 0;
                }
                else if (reader.ValueTextEquals("quotes"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        frame.Present |= FeedFrame.FieldSet.Quotes;
                        if (!ReadSnapshotQuotes(ref reader, symbols, frame))
                        {
                            return MalformedKind.MissingField;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return MalformedKind.InvalidJson;
            }

            if (!typeSeen)
            {
                return MalformedKind.MissingField;
            }

            if (frame.Type == FeedMessageType.None)
            {
                return MalformedKind.UnknownType;
            }

            if (!HasRequiredFields(frame))
            {
                return MalformedKind.MissingField;
            }

            return unknownSymbol && frame.IsSequenced ? MalformedKind.UnknownSymbol : MalformedKind.None;
        }
        catch (JsonException)
        {
            return MalformedKind.InvalidJson;
        }
        catch (InvalidOperationException)
        {
            // A value of the wrong JSON kind read as a number or string.
            return MalformedKind.InvalidJson;
        }
    }

    private static bool HasRequiredFields(FeedFrame frame)
    {
        const FeedFrame.FieldSet quote = FeedFrame.FieldSet.Seq | FeedFrame.FieldSet.Symbol | FeedFrame.FieldSet.Bid | FeedFrame.FieldSet.Ask | FeedFrame.FieldSet.Timestamp;
        const FeedFrame.FieldSet trade = FeedFrame.FieldSet.Seq | FeedFrame.FieldSet.Symbol | FeedFrame.FieldSet.Price | FeedFrame.FieldSet.Timestamp;
        const FeedFrame.FieldSet range = FeedFrame.FieldSet.FromSeq | FeedFrame.FieldSet.ToSeq;
        var present = frame.Present;
        return frame.Type switch
        {
            FeedMessageType.Quote => (present & quote) == quote,
            FeedMessageType.Trade => (present & trade) == trade,
            FeedMessageType.Heartbeat => (present & FeedFrame.FieldSet.LastSeq) != 0,
            FeedMessageType.ReplayDone or FeedMessageType.ReplayUnavailable => (present & range) == range,
            FeedMessageType.Snapshot => (present & FeedFrame.FieldSet.LastSeq) != 0,
            _ => true,
        };
    }

    private static FeedMessageType TypeOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("quote"u8)) return FeedMessageType.Quote;
        if (reader.ValueTextEquals("trade"u8)) return FeedMessageType.Trade;
        if (reader.ValueTextEquals("heartbeat"u8)) return FeedMessageType.Heartbeat;
        if (reader.ValueTextEquals("login_ok"u8)) return FeedMessageType.LoginOk;
        if (reader.ValueTextEquals("login_refused"u8)) return FeedMessageType.LoginRefused;
        if (reader.ValueTextEquals("subscribed"u8)) return FeedMessageType.Subscribed;
        if (reader.ValueTextEquals("unsubscribed"u8)) return FeedMessageType.Unsubscribed;
        if (reader.ValueTextEquals("error"u8)) return FeedMessageType.Error;
        if (reader.ValueTextEquals("replay_done"u8)) return FeedMessageType.ReplayDone;
        if (reader.ValueTextEquals("replay_unavailable"u8)) return FeedMessageType.ReplayUnavailable;
        if (reader.ValueTextEquals("snapshot"u8)) return FeedMessageType.Snapshot;
        return FeedMessageType.None;
    }

    private static int LookUp(ref Utf8JsonReader reader, SymbolTable symbols)
    {
        if (!reader.ValueIsEscaped)
        {
            return symbols.IndexOf(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > 128)
        {
            return -1;
        }

        Span<byte> unescaped = stackalloc byte[128];
        var length = reader.CopyString(unescaped);
        return symbols.IndexOf(unescaped[..length]);
    }

    private static long ReadLong(ref Utf8JsonReader reader, FeedFrame frame, FeedFrame.FieldSet field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            frame.Present |= field;
            return value;
        }

        reader.Skip();
        return 0;
    }

    private static decimal ReadDecimal(ref Utf8JsonReader reader, FeedFrame frame, FeedFrame.FieldSet field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value))
        {
            frame.Present |= field;
            return value;
        }

        reader.Skip();
        return 0;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
