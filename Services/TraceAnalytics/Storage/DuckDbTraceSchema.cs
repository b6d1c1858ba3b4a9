namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>
/// The <c>otel_traces</c> table, column for column the OpenTelemetry Collector ClickHouse exporter's
/// (its Nested <c>Events</c>/<c>Links</c> become parallel list columns with the same dotted names),
/// plus materialized <c>OrderId</c>, <c>Venue</c> and <c>Symbol</c> (the span's own <c>trading.order_id</c>,
/// <c>trading.venue</c>, <c>trading.symbol</c>). Maps are JSON object text: the DuckDB.NET appender has no MAP writer.
/// The appender fills columns by position, so <see cref="DuckDbTraceStore"/> follows this order; columns added
/// later are added at the end (<see cref="Migrations"/>) so that older files keep working.
/// Lookups by trace id and order id use ART indexes; time-window scans use the row groups' min/max
/// (zone maps) on <c>Timestamp</c>, which are tight because spans arrive roughly in time order.
/// </summary>
internal static class DuckDbTraceSchema
{
    public const string Table = "otel_traces";

    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS otel_traces (
            "Timestamp"          TIMESTAMP_NS NOT NULL,
            "TraceId"            VARCHAR NOT NULL,
            "SpanId"             VARCHAR NOT NULL,
            "ParentSpanId"       VARCHAR NOT NULL,
            "TraceState"         VARCHAR NOT NULL,
            "SpanName"           VARCHAR NOT NULL,
            "SpanKind"           VARCHAR NOT NULL,
            "ServiceName"        VARCHAR NOT NULL,
            "ResourceAttributes" VARCHAR NOT NULL,
            "ScopeName"          VARCHAR NOT NULL,
            "ScopeVersion"       VARCHAR NOT NULL,
            "SpanAttributes"     VARCHAR NOT NULL,
            "Duration"           BIGINT NOT NULL,
            "StatusCode"         VARCHAR NOT NULL,
            "StatusMessage"      VARCHAR NOT NULL,
            "Events.Timestamp"   TIMESTAMP_NS[] NOT NULL,
            "Events.Name"        VARCHAR[] NOT NULL,
            "Events.Attributes"  VARCHAR[] NOT NULL,
            "Links.TraceId"      VARCHAR[] NOT NULL,
            "Links.SpanId"       VARCHAR[] NOT NULL,
            "Links.TraceState"   VARCHAR[] NOT NULL,
            "Links.Attributes"   VARCHAR[] NOT NULL,
            "OrderId"            VARCHAR,
            "Venue"              VARCHAR,
            "Symbol"             VARCHAR
        );
        """ + CreateIndexes;

    /// <summary>ART indexes for lookups by trace id and order id.</summary>
    public const string CreateIndexes = """
        CREATE INDEX IF NOT EXISTS otel_traces_trace_id ON otel_traces ("TraceId");
        CREATE INDEX IF NOT EXISTS otel_traces_order_id ON otel_traces ("OrderId");
        """;

    public const string DropIndexes = """
        DROP INDEX IF EXISTS otel_traces_trace_id;
        DROP INDEX IF EXISTS otel_traces_order_id;
        """;

    /// <summary>Columns added after the first release, for files created before them.</summary>
    public const string Migrations = """
        ALTER TABLE otel_traces ADD COLUMN IF NOT EXISTS "Venue" VARCHAR;
        ALTER TABLE otel_traces ADD COLUMN IF NOT EXISTS "Symbol" VARCHAR;
        """;

    /// <summary>Every column but the link columns, in the order <see cref="DuckDbTraceStore"/> reads them.</summary>
    public const string SelectColumns = """
        "Timestamp", "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind", "ServiceName",
        "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes", "Duration", "StatusCode", "StatusMessage",
        "Events.Timestamp", "Events.Name", "Events.Attributes",
        "Links.TraceId", "Links.SpanId", "Links.TraceState", "Links.Attributes"
        """;
}
