// Turns the API's spans and critical path into the rows the waterfall draws: one row per span,
// parent before children (children by start time), offsets in ms from the trace's first span.
import { epochMs } from './format.js';
import { pipelineStages } from './theme.js';

const stageNames = new Set(pipelineStages);

/** The attributes a desk engineer looks at first: the trading ones and the error type. */
export function keyAttributes(attributes) {
  return Object.entries(attributes ?? {})
    .filter(([key]) => key.startsWith('trading.') || key === 'error.type')
    .sort(([a], [b]) => a.localeCompare(b));
}

/**
 * @param {Array} spans SpanResponse[] of one trace
 * @param {object|null} criticalPath CriticalPathResponse (or null when it could not be read)
 */
export function buildTraceModel(spans, criticalPath) {
  const byId = new Map(spans.map(s => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId)) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else {
      roots.push(span);
    }
  }

  const startOf = new Map(spans.map(s => [s.spanId, epochMs(s.startTime)]));
  const byStart = (a, b) => startOf.get(a.spanId) - startOf.get(b.spanId) || a.name.localeCompare(b.name);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);

  const t0 = Math.min(...spans.map(s => startOf.get(s.spanId)));
  const onPath = new Map((criticalPath?.spans ?? []).map(s => [s.spanId, s]));

  // Depth-first, iteratively (a deep trace must not overflow the stack).
  const rows = [];
  const stack = roots.slice().reverse().map(span => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const { span, depth } = stack.pop();
    const start = startOf.get(span.spanId) - t0;
    const kids = children.get(span.spanId) ?? [];
    rows.push({
      index: rows.length,
      span,
      depth,
      start,
      end: start + span.durationMs,
      selfMs: selfTime(span, kids, startOf),
      isStage: stageNames.has(span.name),
      isError: span.statusCode === 'Error',
      critical: onPath.get(span.spanId) ?? null,
    });
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: depth + 1 });
  }

  const rowOf = new Map(rows.map(r => [r.span.spanId, r]));
  const duration = criticalPath?.durationMs ?? Math.max(...rows.map(r => r.end));
  const segments = (criticalPath?.segments ?? [])
    .filter(s => s.spanId && rowOf.has(s.spanId))
    .map(s => ({ ...s, row: rowOf.get(s.spanId).index }));

  return {
    traceId: spans[0]?.traceId ?? criticalPath?.traceId ?? '',
    orderId: attribute(spans, 'trading.order_id'),
    order: describeOrder(spans),
    rows,
    segments,
    duration,
    services: [...new Set(rows.map(r => r.span.serviceName))],
    errors: rows.filter(r => r.isError),
    criticalPath,
    breakdown: stageBreakdown(criticalPath),
  };
}

function attribute(spans, key) {
  return spans.map(s => s.attributes?.[key]).find(Boolean) ?? null;
}

/** "BUY 0.01 BTC-USD → binance · Filled", from the trading attributes the spans carry. */
function describeOrder(spans) {
  const [side, quantity, symbol, venue, status] = ['trading.side', 'trading.quantity', 'trading.symbol', 'trading.venue', 'trading.order.status']
    .map(key => attribute(spans, key));
  if (!symbol) return null;
  return [[side, quantity, symbol].filter(Boolean).join(' '), venue ? `→ ${venue}` : null, status ? `· ${status}` : null]
    .filter(Boolean).join(' ');
}

/** Duration minus the union of the children's intervals clipped to the span (same rule as the server). */
function selfTime(span, kids, startOf) {
  const start = startOf.get(span.spanId);
  const end = start + span.durationMs;
  const intervals = kids
    .map(k => [Math.max(start, startOf.get(k.spanId)), Math.min(end, startOf.get(k.spanId) + k.durationMs)])
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let cursor = start;
  for (const [a, b] of intervals) {
    if (b <= cursor) continue;
    covered += b - Math.max(a, cursor);
    cursor = b;
  }
  return Math.max(0, span.durationMs - covered);
}

/** Critical-path time per stage, in the order the path first reaches each stage, with the service it ran in. */
function stageBreakdown(criticalPath) {
  const totals = new Map();
  for (const segment of criticalPath?.segments ?? []) {
    const entry = totals.get(segment.stage) ?? { stage: segment.stage, service: segment.serviceName, ms: 0 };
    entry.ms += segment.durationMs;
    totals.set(segment.stage, entry);
  }
  const total = criticalPath?.durationMs || 1;
  return [...totals.values()].map(entry => ({ ...entry, share: entry.ms / total }));
}
