using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// A SQL statement and its named parameters (<c>$name</c> in the text), run on a connection that
/// <see cref="TraceDatabase"/> hands out; rows are mapped by column name through <see cref="DuckDbRow"/>.
/// The text may be set after the parameters, for statements assembled piece by piece.
/// </summary>
public sealed class DuckDbQuery(string text = "")
{
    private readonly List<(string Name, object? Value)> parameters = [];

    public string Text { get; set; } = text;

    public DuckDbQuery Bind(string name, object? value)
    {
        parameters.Add((name, value));
        return this;
    }

    /// <summary>Binds a UTC time as DuckDB stores it (<see cref="DuckDbTime.ToStored"/>).</summary>
    public DuckDbQuery BindTime(string name, DateTime utc) => Bind(name, DuckDbTime.ToStored(utc));

    /// <summary>Every row of the result, each mapped by <paramref name="map"/>.</summary>
    public async Task<List<T>> ReadAsync<T>(DuckDBConnection connection, Func<DuckDbRow, T> map, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = new DuckDbRow(reader);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row.Next();
            rows.Add(map(row));
        }

        return rows;
    }

    /// <summary>The first column of the first row; null when there is none or it is NULL.</summary>
    public async Task<object?> ReadScalarAsync(DuckDBConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
    public int Execute(DuckDBConnection connection)
    {
        using var command = CreateCommand(connection);
        return command.ExecuteNonQuery();
    }

    private DuckDBCommand CreateCommand(DuckDBConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Text;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        return command;
    }
}
