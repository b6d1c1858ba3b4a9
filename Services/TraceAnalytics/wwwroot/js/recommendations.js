// Section 6: the service's plain-language hints, most severe first.
import { el, fill } from './dom.js';

export function renderRecommendations(list, response) {
  const items = response.recommendations ?? [];
  fill(list, items.map(r => el('li', { 'data-testid': 'recommendation', dataset: { severity: r.severity } },
    el('span', { class: `badge ${r.severity}` }, r.severity),
    el('span', {}, r.message))));
  return items.length > 0;
}
