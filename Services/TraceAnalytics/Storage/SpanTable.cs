using DuckDB.NET.Data;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The <c>otel_traces</c> table, column for column the OpenTelemetry Collector ClickHouse exporter's
/// (its Nested <c>Events</c>/<c>Links</c> become parallel list columns with the same dotted names),
/// plus materialized <c>OrderId</c>, <c>Venue</c> and <c>Symbol</c> (the span's own <c>trading.order_id</c>,
/// <c>trading.venue</c>, <c>trading.symbol</c>) and <c>SampleWeight</c> (how many traces the span's trace stands for
/// under tail sampling: 1, or 1/KeepShare for a sampled ordinary trace). Maps are JSON object text: the DuckDB.NET appender has no MAP writer.
/// Each column is declared once below, with its type and the value a span puts in it: the table, the
/// select list and the appender (which fills columns by position) all follow that one list. Columns added
/// after the first release stand at the end and are added to older files (<see cref="Migrations"/>).
/// Lookups by trace id and order id use ART indexes; time-window scans use the row groups' min/max
/// (zone maps) on <c>Timestamp</c>, which are tight because spans arrive roughly in time order.
/// </summary>
internal static class SpanTable
{
    public const string Name = "otel_traces";

    public const string Timestamp = "Timestamp";
    public const string TraceId = "TraceId";
    public const string SpanId = "SpanId";
    public const string ParentSpanId = "ParentSpanId";
    public const string TraceState = "TraceState";
    public const string SpanName = "SpanName";
    public const string SpanKind = "SpanKind";
    public const string ServiceName = "ServiceName";
    public const string ResourceAttributes = "ResourceAttributes";
    public const string ScopeName = "ScopeName";
    public const string ScopeVersion = "ScopeVersion";
    public const string SpanAttributes = "SpanAttributes";
    public const string Duration = "Duration";
    public const string StatusCode = "StatusCode";
    public const string StatusMessage = "StatusMessage";
    public const string EventTimestamps = "Events.Timestamp";
    public const string EventNames = "Events.Name";
    public const string EventAttributes = "Events.Attributes";
    public const string LinkTraceIds = "Links.TraceId";
    public const string LinkSpanIds = "Links.SpanId";
    public const string LinkTraceStates = "Links.TraceState";
    public const string LinkAttributes = "Links.Attributes";
    public const string OrderId = "OrderId";
    public const string Venue = "Venue";
    public const string Symbol = "Symbol";
    public const string SampleWeight = "SampleWeight";

    /// <summary>A column: name, DuckDB type, what a span stores in it; <c>Derived</c> ones repeat an attribute for lookups.</summary>
    private sealed record Column(
        string Name, string Type, Func<IDuckDBAppenderRow, SpanRecord, IDuckDBAppenderRow> Append, bool Derived = false, bool AddedLater = false);

    // Most spans have no events or links: their list columns get these (never changed) instead of new lists.
    private static readonly List<DateTime> NoTimes = [];
    private static readonly List<string> NoStrings = [];

    /// <summary>In table order.</summary>
    private static readonly Column[] Columns =
    [
        new(Timestamp, "TIMESTAMP_NS NOT NULL", (row, span) => row.AppendValue(DuckDbTime.ToStored(span.Timestamp))),
        new(TraceId, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.TraceId)),
        new(SpanId, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.SpanId)),
        new(ParentSpanId, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.ParentSpanId)),
        new(TraceState, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.TraceState)),
        new(SpanName, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.SpanName)),
        new(SpanKind, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.SpanKind)),
        new(ServiceName, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.ServiceName)),
        new(ResourceAttributes, "VARCHAR NOT NULL", (row, span) => row.AppendValue(AttributeJson.SerializeShared(span.ResourceAttributes))),
        new(ScopeName, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.ScopeName)),
        new(ScopeVersion, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.ScopeVersion)),
        new(SpanAttributes, "VARCHAR NOT NULL", (row, span) => row.AppendValue(AttributeJson.Serialize(span.SpanAttributes))),
        new(Duration, "BIGINT NOT NULL", (row, span) => row.AppendValue(span.DurationNanos)),
        new(StatusCode, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.StatusCode)),
        new(StatusMessage, "VARCHAR NOT NULL", (row, span) => row.AppendValue(span.StatusMessage)),
        new(EventTimestamps, "TIMESTAMP_NS[] NOT NULL", (row, span) => row.AppendValue(span.Events.Count == 0 ? NoTimes : span.Events.Select(e => DuckDbTime.ToStored(e.Timestamp)).ToList())),
        new(EventNames, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Events.Count == 0 ? NoStrings : span.Events.Select(e => e.Name).ToList())),
        new(EventAttributes, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Events.Count == 0 ? NoStrings : span.Events.Select(e => AttributeJson.Serialize(e.Attributes)).ToList())),
        new(LinkTraceIds, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Links.Count == 0 ? NoStrings : span.Links.Select(l => l.TraceId).ToList())),
        new(LinkSpanIds, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Links.Count == 0 ? NoStrings : span.Links.Select(l => l.SpanId).ToList())),
        new(LinkTraceStates, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Links.Count == 0 ? NoStrings : span.Links.Select(l => l.TraceState).ToList())),
        new(LinkAttributes, "VARCHAR[] NOT NULL", (row, span) => row.AppendValue(span.Links.Count == 0 ? NoStrings : span.Links.Select(l => AttributeJson.Serialize(l.Attributes)).ToList())),
        new(OrderId, "VARCHAR", (row, span) => row.AppendValue(span.OrderId), Derived: true),
        new(Venue, "VARCHAR", (row, span) => row.AppendValue(span.Venue), Derived: true, AddedLater: true),
        new(Symbol, "VARCHAR", (row, span) => row.AppendValue(span.Symbol), Derived: true, AddedLater: true),
        new(SampleWeight, "DOUBLE DEFAULT 1", (row, span) => row.AppendValue(span.SampleWeight), AddedLater: true),
    ];

    public static readonly string Create =
        $"CREATE TABLE IF NOT EXISTS {Name} (\n    " +
        string.Join(",\n    ", Columns.Select(c => $"{Quote(c.Name)} {c.Type}")) +
        "\n);\n" + CreateIndexes;

    private const string TraceIdIndex = Name + "_trace_id";
    private const string OrderIdIndex = Name + "_order_id";

    /// <summary>ART indexes for lookups by trace id and order id.</summary>
    public const string CreateIndexes = $"""
        CREATE INDEX IF NOT EXISTS {TraceIdIndex} ON {Name} ("{TraceId}");
        CREATE INDEX IF NOT EXISTS {OrderIdIndex} ON {Name} ("{OrderId}");
        """;

    public const string DropIndexes = $"""
        DROP INDEX IF EXISTS {TraceIdIndex};
        DROP INDEX IF EXISTS {OrderIdIndex};
        """;

    /// <summary>Columns added after the first release, for files created before them.</summary>
    public static readonly string Migrations = string.Concat(Columns.Where(c => c.AddedLater)
        .Select(c => $"ALTER TABLE {Name} ADD COLUMN IF NOT EXISTS {Quote(c.Name)} {c.Type};\n"));

    /// <summary>Every stored column of a span but the derived ones (they repeat attributes), for <see cref="SpanRows.Read"/>.</summary>
    public static readonly string SelectSpan = string.Join(", ", Columns.Where(c => !c.Derived).Select(c => Quote(c.Name)));

    /// <summary>Adds one row per span, all of them or (on failure) none, on the writer connection.</summary>
    public static void Append(DuckDBConnection connection, IReadOnlyList<SpanRecord> spans)
    {
        using var transaction = connection.BeginTransaction();
        using (var appender = connection.CreateAppender(Name))
        {
            foreach (var span in spans)
            {
                var row = appender.CreateRow();
                foreach (var column in Columns)
                {
                    row = column.Append(row, span);
                }

                row.EndRow();
            }

            appender.Close();
        }

        transaction.Commit();
    }

    private static string Quote(string column) => $"\"{column}\"";
}
