// Section 4: traces whose stages took far longer than usual; clicking one opens its waterfall.
import { el, fill } from './dom.js';
import { clock, ms, shortId } from './format.js';

export function renderAnomalies(list, response, onTrace) {
  const traces = response.traces ?? [];
  fill(list, traces.map(t => {
    const worst = t.spans?.[0];
    return el('li', {},
      el('button', {
        type: 'button',
        class: 'item',
        'data-testid': 'anomaly',
        dataset: { traceId: t.traceId },
        title: `Open trace ${t.traceId}`,
        onclick: () => onTrace(t.traceId),
      },
      el('div', { class: 'item-head' },
        el('span', { class: 'badge score' }, `score ${t.maxScore.toFixed(1)}`),
        el('span', { class: 'mono' }, t.orderId ? `order ${shortId(t.orderId)}` : `trace ${shortId(t.traceId)}`),
        worst ? el('span', { class: 'item-metric' }, `${worst.stage} ${ms(worst.durationMs)}`, el('small', {}, ` vs median ${ms(worst.medianMs)}`)) : null,
        el('span', { class: 'muted right' }, clock(t.startTime))),
      el('ul', { class: 'reasons' }, (t.reasons ?? []).slice(0, 3).map(r => el('li', {}, r)))));
  }));
  return traces.length > 0;
}
