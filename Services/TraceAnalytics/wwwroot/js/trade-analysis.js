// Section 8: analysis from traces. Latency ↔ slippage (GET /api/analysis/latency-slippage): per venue a scatter of
// each order's signal-to-fill latency against its slippage with the OLS line, and a table of n, r and the slope with
// its 95 % interval. Arbitrage (GET /api/analysis/arbitrage): success rate by latency bucket as bars, the outcomes and
// edges, and the pipeline stages ranked by how well their latency explains lost edge.
import { el, fill, escapeHtml } from './dom.js';
import { ms, percent } from './format.js';
import { baseChart, chartIn, colors, stageColor, tooltipStyle } from './theme.js';

const venueColors = ['#4f9cf9', '#b37feb', '#36cfc9', '#f759ab', '#95de64', '#ff9c6e', '#adc6ff', '#5cdbd3'];
const venueColor = index => venueColors[index % venueColors.length];

const num = (value, digits = 3) => value === null || value === undefined ? '—' : `${+value.toPrecision(digits)}`;
const bp = value => value === null || value === undefined ? '—' : `${value.toFixed(2)} bp`;
const slopeText = v => v.slopeBpsPerMs === null || v.slopeBpsPerMs === undefined
  ? '—'
  : `${num(v.slopeBpsPerMs)} bp/ms` + (v.slopeLow === null || v.slopeLow === undefined ? '' : ` [${num(v.slopeLow)}, ${num(v.slopeHigh)}]`);
const pText = p => p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);

/** What the latency ↔ slippage section says with no order in the window, and what produces its data. */
export const latencySlippageEmptyText = windowText =>
  `No filled order with a slippage in the last ${windowText}. Execution records each order's slippage; ` +
  'the latency is measured from the strategy.signal or arbitrage.leg span the strategy service puts above its orders ' +
  '(from the order itself when there is none): check that the strategy service and the pipeline run (Aspire dashboard), or pick a longer window.';

/** What the arbitrage section says with no opportunity in the window. */
export const arbitrageEmptyText = windowText =>
  `No arbitrage in the last ${windowText}. The strategy service traces each cross-venue opportunity as an arbitrage span ` +
  'with its two legs (and an unwind when one fails): check that it runs and that two venues\' prices cross, or pick a longer window.';

// ---- latency ↔ slippage ----------------------------------------------------------------------

export function renderLatencySlippage(charts, table, response) {
  const venues = response.venues ?? [];
  fill(table, venues.map((v, index) => el('tr', { 'data-testid': 'slippage-venue', dataset: { venue: v.venue } },
    el('td', {}, el('span', { class: 'dot', style: { background: venueColor(index) } }), ' ', v.venue),
    el('td', { class: 'num', 'data-field': 'n' }, v.n.toLocaleString('en-US')),
    el('td', { class: 'num', title: 'latency measured from a strategy span (the rest from the order)' }, v.fromSignal.toLocaleString('en-US')),
    el('td', { class: 'num', 'data-field': 'r' }, num(v.r)),
    el('td', { class: 'num', 'data-field': 'slope' }, slopeText(v)),
    el('td', { class: 'num' }, bp(v.interceptBps)),
    el('td', { class: 'num' }, pText(v.pValue)))));
  syncCharts(charts, venues.map(v => v.venue));
  venues.forEach((v, index) => renderScatter(charts.querySelector(`[data-venue="${CSS.escape(v.venue)}"]`), v, venueColor(index), response.basis));
  return venues.length > 0;
}

/** One chart element per venue, kept across refreshes (their ECharts instances too); gone venues' are disposed. */
function syncCharts(container, venues) {
  for (const chart of [...container.children]) {
    if (!venues.includes(chart.dataset.venue)) {
      echarts.getInstanceByDom(chart)?.dispose();
      chart.remove();
    }
  }
  for (const venue of venues) {
    if (!container.querySelector(`[data-venue="${CSS.escape(venue)}"]`)) {
      container.append(el('div', {
        class: 'chart scatter', 'data-testid': 'slippage-chart', dataset: { venue }, role: 'img',
        'aria-label': `Slippage against latency of ${venue}'s orders, with the regression line`,
      }));
    }
  }
}

function renderScatter(container, venue, color, basis) {
  const points = venue.points ?? [];
  const xs = points.map(p => p.latencyMs);
  const line = venue.slopeBpsPerMs === null || venue.slopeBpsPerMs === undefined || xs.length === 0
    ? []
    : [Math.min(...xs), Math.max(...xs)].map(x => [x, venue.interceptBps + venue.slopeBpsPerMs * x]);
  chartIn(container).setOption({
    ...baseChart,
    title: {
      text: `${venue.venue} · n ${venue.n} · r ${num(venue.r)} · ${slopeText(venue)}`,
      left: 0, top: 0, textStyle: { color: colors.text, fontSize: 12, fontWeight: 600 },
    },
    grid: { left: 56, right: 16, top: 46, bottom: 36 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'item',
      formatter: item => item.seriesIndex === 0
        ? `order <b>${escapeHtml(points[item.dataIndex].orderId)}</b><br>${ms(item.value[0])} → ${bp(item.value[1])}`
        : `OLS: ${bp(item.value[1])} at ${ms(item.value[0])}`,
    },
    xAxis: {
      type: 'value', scale: true, name: basis === 'order' ? 'order to fill (ms)' : 'signal to fill (ms)', nameLocation: 'middle', nameGap: 22,
      nameTextStyle: { color: colors.muted }, axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.grid } },
    },
    yAxis: {
      type: 'value', scale: true, name: 'slippage (bp)', nameTextStyle: { color: colors.muted },
      axisLabel: { color: colors.muted }, splitLine: { lineStyle: { color: colors.grid } },
    },
    series: [
      { name: 'orders', type: 'scatter', symbolSize: 5, itemStyle: { color, opacity: 0.7 }, data: points.map(p => [p.latencyMs, p.slippageBps]) },
      { name: 'regression', type: 'line', showSymbol: false, lineStyle: { color: colors.critical, width: 2 }, data: line },
    ],
  }, { notMerge: true });
}

// ---- arbitrage -------------------------------------------------------------------------------

export function renderArbitrage(chartContainer, meta, stageTable, response) {
  const { edge } = response;
  const outcomes = (response.outcomes ?? []).map(o => `${o.outcome.replaceAll('_', ' ')} ${o.count}`).join(' · ');
  meta.textContent = response.total > 0
    ? `${response.total} opportunities (${outcomes}) · success ${percent(response.successRate)} · ` +
      `mean edge expected ${bp(edge.meanExpectedBps)}, realised ${bp(edge.meanRealisedBps)}, lost ${bp(edge.meanLostBps)} (n ${edge.n})`
    : '';
  renderBuckets(chartContainer, response.buckets ?? []);
  fill(stageTable, (response.stages ?? []).map((s, rank) => el('tr', { 'data-testid': 'arbitrage-stage', dataset: { stage: s.stage } },
    el('td', { class: 'num' }, rank + 1),
    el('td', {}, el('span', { class: 'dot', style: { background: stageColor(s.stage) } }), ' ', s.stage),
    el('td', { class: 'num' }, s.n),
    el('td', { class: 'num', 'data-field': 'r' }, num(s.r)),
    el('td', { class: 'num' }, num(s.rSquared)),
    el('td', { class: 'num' }, slopeText({ slopeBpsPerMs: s.slopeBpsPerMs, slopeLow: s.slopeLow, slopeHigh: s.slopeHigh })),
    el('td', { class: 'num' }, pText(s.pValue)))));
  return response.total > 0;
}

function bucketLabel(b) {
  return b.toMs === null || b.toMs === undefined ? `≥ ${b.fromMs} ms` : `${b.fromMs}–${b.toMs} ms`;
}

function renderBuckets(container, buckets) {
  chartIn(container).setOption({
    ...baseChart,
    title: { text: 'success rate (both legs filled) by detection → last fill', left: 0, top: 0, textStyle: { color: colors.text, fontSize: 12, fontWeight: 600 } },
    grid: { left: 52, right: 16, top: 30, bottom: 28 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: items => {
        const b = buckets[items[0].dataIndex];
        return `<b>${escapeHtml(bucketLabel(b))}</b><br>${b.bothFilled} of ${b.count} filled both legs (${percent(b.successRate)})`;
      },
    },
    xAxis: { type: 'category', data: buckets.map(bucketLabel), axisLabel: { color: colors.muted }, axisLine: { lineStyle: { color: colors.axis } } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { color: colors.muted, formatter: v => `${Math.round(v * 100)} %` }, splitLine: { lineStyle: { color: colors.grid } } },
    series: [{
      name: 'success rate',
      type: 'bar',
      barMaxWidth: 36,
      itemStyle: { color: colors.p50 },
      label: { show: true, position: 'top', color: colors.text, fontSize: 11, formatter: p => `n ${buckets[p.dataIndex].count}` },
      data: buckets.map(b => b.successRate),
    }],
  }, { notMerge: true });
}
