using System.Text;

namespace TradingAspire.MarketData;

/// <summary>
/// The symbols one venue lists, looked up by their UTF-8 bytes straight from the receive buffer (a venue
/// lists a handful, so a linear scan beats hashing), so a quote never allocates its symbol's string.
/// </summary>
public sealed class SymbolTable
{
    private readonly byte[][] utf8;

    public SymbolTable(IReadOnlyList<string> symbols)
    {
        Symbols = [.. symbols];
        utf8 = [.. Symbols.Select(Encoding.UTF8.GetBytes)];
    }

    public string[] Symbols { get; }

    public int Count => Symbols.Length;

    public int IndexOf(ReadOnlySpan<byte> symbol)
    {
        for (var i = 0; i < utf8.Length; i++)
        {
            if (symbol.SequenceEqual(utf8[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
