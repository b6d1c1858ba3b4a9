// Section 5: latency alerts, firing first; each trace id opens its waterfall. The alerts API may not
// exist on an older service: a 404 reads as "no alerts".
import { el, fill } from './dom.js';
import { clock, ms, shortId } from './format.js';

/** One shape whatever the server's spelling: state "firing"/"Firing", percentile or measure. */
export function normalizeAlerts(data) {
  const alerts = Array.isArray(data) ? data : data?.alerts ?? [];
  return alerts.map(a => ({
    ...a,
    state: String(a.state ?? '').toLowerCase(),
    measure: a.percentile ?? a.measure ?? '',
    traceIds: a.traceIds ?? [],
  }));
}

export function renderAlerts(list, alerts, onTrace) {
  const sorted = [...alerts].sort((a, b) =>
    (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1) || String(b.startedAt).localeCompare(String(a.startedAt)));
  fill(list, sorted.map(a => el('li', { class: `alert ${a.state}`, 'data-testid': 'alert', dataset: { state: a.state, alertId: a.id } },
    el('div', { class: 'item-head' },
      el('span', { class: `badge ${a.state}` }, a.state),
      el('b', {}, a.rule ?? a.stage),
      a.group && a.group !== 'all' ? el('span', { class: 'muted' }, a.group) : null,
      el('span', { class: 'muted right' }, a.resolvedAt ? `${clock(a.startedAt)} → ${clock(a.resolvedAt)}` : `since ${clock(a.startedAt)}`)),
    el('div', { class: 'item-metric' },
      `${a.stage} ${measureName(a.measure)} `, el('b', {}, ms(a.valueMs)), ` (threshold ${ms(a.thresholdMs)})`),
    a.summary ? el('div', { class: 'muted small' }, a.summary) : null,
    a.traceIds.length > 0
      ? el('div', { class: 'trace-links' }, 'traces: ', a.traceIds.slice(0, 6).map(id =>
        el('button', { type: 'button', class: 'link mono', title: `Open trace ${id}`, dataset: { traceId: id }, onclick: () => onTrace(id) }, shortId(id))))
      : null)));
  return sorted.length > 0;
}

function measureName(measure) {
  if (typeof measure === 'number') return `p${measure <= 1 ? Math.round(measure * 100) : measure}`;
  return measure ?? '';
}
