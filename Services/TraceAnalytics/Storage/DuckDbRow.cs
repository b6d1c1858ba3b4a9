using System.Data.Common;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The current row of a result, read by column name (the name a column has in the result: its own, or
/// its <c>AS</c> alias). A mapping asks for the same columns in the same order on every row, so the
/// ordinal of each of its questions is remembered from the first row: mapping a large result costs what
/// reading by position costs. Callers pass names as constants or literals.
/// </summary>
public sealed class DuckDbRow
{
    private readonly DbDataReader reader;
    private readonly Dictionary<string, int> byName;
    // The n-th column the mapping asked for on the previous row, and its ordinal (-1: not in the result).
    private readonly (string Column, int Ordinal)[] asked = new (string, int)[32];
    private int question;

    public DuckDbRow(DbDataReader reader)
    {
        this.reader = reader;
        byName = new Dictionary<string, int>(reader.FieldCount, StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < reader.FieldCount; ordinal++)
        {
            byName.TryAdd(reader.GetName(ordinal), ordinal);
        }
    }

    /// <summary>Whether the result has a column of that name.</summary>
    public bool Has(string column) => Find(column) >= 0;

    public bool IsNull(string column) => reader.IsDBNull(Ordinal(column));

    public string String(string column) => reader.GetString(Ordinal(column));

    public string? NullableString(string column)
    {
        var ordinal = Ordinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public long Int64(string column) => reader.GetInt64(Ordinal(column));

    /// <summary>Any integer column (DuckDB's sizes come back as several integer types) as a long.</summary>
    public long AnyInt64(string column) => Convert.ToInt64(reader.GetValue(Ordinal(column)), System.Globalization.CultureInfo.InvariantCulture);

    public double Double(string column) => reader.GetDouble(Ordinal(column));

    public bool Bool(string column) => reader.GetBoolean(Ordinal(column));

    /// <summary>A stored timestamp, as UTC (<see cref="DuckDbTime.FromStored"/>).</summary>
    public DateTime Time(string column) => DuckDbTime.FromStored(reader.GetDateTime(Ordinal(column)));

    public DateTime? NullableTime(string column)
    {
        var ordinal = Ordinal(column);
        return reader.IsDBNull(ordinal) ? null : DuckDbTime.FromStored(reader.GetDateTime(ordinal));
    }

    public List<T> List<T>(string column) => reader.GetFieldValue<List<T>>(Ordinal(column));

    /// <summary>Called before each row is mapped.</summary>
    internal void Next() => question = 0;

    private int Ordinal(string column)
    {
        var ordinal = Find(column);
        return ordinal >= 0 ? ordinal : throw new ArgumentException($"The result has no column '{column}'.", nameof(column));
    }

    /// <summary>The column's ordinal, -1 when the result has none of that name.</summary>
    private int Find(string column)
    {
        var n = question++;
        if (n < asked.Length && ReferenceEquals(asked[n].Column, column))
        {
            return asked[n].Ordinal;
        }

        var ordinal = byName.GetValueOrDefault(column, -1);
        if (n < asked.Length)
        {
            asked[n] = (column, ordinal);
        }

        return ordinal;
    }
}
