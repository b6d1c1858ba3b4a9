// Routing policies (GET /api/analysis/routing): the execution router's two ways of pricing a venue's latency side by side —
// static (one configured bp/ms for every venue) and trace (each venue's slope of slippage on latency measured here). A verdict
// line (trace − static by Welch's t test), where each policy sent its orders (stacked shares), each policy's mean slippage with
// its 95 % interval (bar and error bar), and a table of n, mean [95 % CI], sd and latency to fill.
import { el, fill, escapeHtml } from './dom.js';
import { ms, percent } from './format.js';
import { baseChart, chartIn, colors, tooltipStyle } from './theme.js';

export const AB_SETTING = '--Execution:Routing:Policy=ab';

const policyText = {
  static: 'one configured latency price (bp/ms) for every venue',
  trace: 'each venue\'s slope of slippage on latency, measured by this store',
};
const policyColors = { static: colors.p50, trace: '#36cfc9' };
const venuePalette = ['#4f9cf9', '#b37feb', '#36cfc9', '#f759ab', '#95de64', '#ff9c6e', '#adc6ff', '#5cdbd3'];

const present = value => value !== null && value !== undefined;
const bp = value => present(value) ? `${value.toFixed(2)} bp` : '—';
/** −0.12 / +0.12 / 0.00, with a real minus sign. */
const signed = (value, digits = 2) => {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value < 0 ? '−' : '+'}${text}`;
};
const signedMs = value => `${value < 0 ? '−' : value > 0 ? '+' : ''}${ms(Math.abs(value))}`;
const pText = p => !present(p) ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);
const interval = (low, high) => present(low) && present(high) ? ` [${low.toFixed(2)}, ${high.toFixed(2)}]` : '';

/** What the section says with no routed order in the window, and what produces its data. */
export const routingEmptyText = windowText =>
  `No filled order with a routing policy in the last ${windowText}. Execution tags each order it routes with trading.route.policy ` +
  `(static or trace) next to its slippage; run execution with ${AB_SETTING} to split the orders between the two policies and compare ` +
  'them here, or pick a longer window.';

/** The one-line comparison: "trace − static: −0.12 bp [−0.20, −0.04], p 0.003 · latency +4.00 ms", or why there is none. */
export function routingVerdict(response, windowText) {
  const policies = response.policies ?? [];
  const d = response.difference;
  if (!d) {
    if (policies.length === 0) return '';
    const names = policies.map(p => p.policy).join(' and ');
    return `Only the ${names} policy routed orders in the last ${windowText}: nothing to compare. ` +
      `Run execution with ${AB_SETTING} to route each order under static or trace and compare them over the same period.`;
  }
  const confidence = Math.round((d.confidence ?? response.confidence ?? 0.95) * 100);
  let text = `trace − static: ${signed(d.difference)} bp`;
  text += present(d.low) && present(d.high) ? ` [${signed(d.low)}, ${signed(d.high)}], p ${pText(d.pValue)}` : ' (too few orders for an interval)';
  if (present(response.latencyDifferenceMs)) text += ` · latency ${signedMs(response.latencyDifferenceMs)}`;
  if (present(d.high) && d.high < 0) text += ` · trace slips less (${confidence} %)`;
  else if (present(d.low) && d.low > 0) text += ` · static slips less (${confidence} %)`;
  else if (present(d.low)) text += ` · no difference shown at ${confidence} %`;
  return text;
}

export function renderRouting({ verdict, sharesChart, slippageChart, table }, response, windowText) {
  const policies = response.policies ?? [];
  verdict.textContent = routingVerdict(response, windowText);
  fill(table, policies.map(p => el('tr', { 'data-testid': 'routing-policy', dataset: { policy: p.policy } },
    el('td', { title: policyText[p.policy] ?? '' },
      el('span', { class: 'dot', style: { background: policyColor(p.policy) } }), ' ', p.policy),
    el('td', { class: 'num', 'data-field': 'n' }, p.n.toLocaleString('en-US')),
    el('td', { class: 'num', 'data-field': 'mean' }, `${bp(p.meanSlippageBps)}${interval(p.slippageLow, p.slippageHigh)}`),
    el('td', { class: 'num', 'data-field': 'sd' }, bp(p.stdDevBps)),
    el('td', { class: 'num', 'data-field': 'latency' }, ms(p.meanFillLatencyMs)),
    el('td', { class: 'venues', 'data-field': 'venues' },
      (p.venues ?? []).map(v => `${v.venue} ${percent(v.share, 0)}`).join(' · ')))));
  renderShares(sharesChart, policies);
  renderSlippage(slippageChart, policies);
  return policies.length > 0;
}

function policyColor(policy) {
  return policyColors[policy] ?? colors.p99;
}

const title = text => ({ text, left: 0, top: 0, textStyle: { color: colors.text, fontSize: 12, fontWeight: 600 } });
const axisLabel = { color: colors.muted };
const splitLine = { lineStyle: { color: colors.grid } };

/** Per policy one horizontal bar, stacked by venue share: where each policy sent its orders. */
function renderShares(container, policies) {
  const venues = [...new Set(policies.flatMap(p => (p.venues ?? []).map(v => v.venue)))].sort();
  const venueOf = (policy, venue) => (policy.venues ?? []).find(v => v.venue === venue);
  chartIn(container).setOption({
    ...baseChart,
    title: title('where each policy routed its filled orders'),
    legend: { top: 0, right: 0, textStyle: { color: colors.muted }, data: venues },
    grid: { left: 60, right: 16, top: 34, bottom: 28 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'item',
      formatter: item => {
        const policy = policies[item.dataIndex];
        const v = venueOf(policy, item.seriesName);
        return `<b>${escapeHtml(policy.policy)}</b> → <b>${escapeHtml(item.seriesName)}</b><br>` +
          `${v?.n ?? 0} of ${policy.n} orders (${percent(v?.share ?? 0)}) · mean slippage ${bp(v?.meanSlippageBps)}`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { ...axisLabel, formatter: v => `${Math.round(v * 100)} %` }, splitLine },
    yAxis: { type: 'category', inverse: true, data: policies.map(p => p.policy), axisLabel: { color: colors.text }, axisLine: { lineStyle: { color: colors.axis } } },
    series: venues.map((venue, index) => ({
      name: venue,
      type: 'bar',
      stack: 'share',
      barMaxWidth: 28,
      itemStyle: { color: venuePalette[index % venuePalette.length] },
      label: { show: true, color: '#0b1020', fontSize: 11, formatter: p => p.value >= 0.12 ? `${venue} ${percent(p.value, 0)}` : '' },
      data: policies.map(p => venueOf(p, venue)?.share ?? 0),
    })),
  }, { notMerge: true });
}

/** Each policy's mean slippage as a bar, its 95 % interval as an error bar drawn by a custom series. */
function renderSlippage(container, policies) {
  chartIn(container).setOption({
    ...baseChart,
    title: title('mean slippage per policy, 95 % interval (bp, positive = worse)'),
    grid: { left: 60, right: 16, top: 34, bottom: 28 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: items => {
        const p = policies[items[0].dataIndex];
        return `<b>${escapeHtml(p.policy)}</b>: ${bp(p.meanSlippageBps)}${interval(p.slippageLow, p.slippageHigh)}<br>` +
          `n ${p.n} · sd ${bp(p.stdDevBps)} · latency to fill ${ms(p.meanFillLatencyMs)}`;
      },
    },
    xAxis: { type: 'category', data: policies.map(p => p.policy), axisLabel: { color: colors.text }, axisLine: { lineStyle: { color: colors.axis } } },
    yAxis: { type: 'value', axisLabel, splitLine },
    series: [
      {
        name: 'mean slippage',
        type: 'bar',
        barMaxWidth: 48,
        data: policies.map(p => ({ value: p.meanSlippageBps, itemStyle: { color: policyColor(p.policy), opacity: 0.8 } })),
      },
      {
        name: '95 % interval',
        type: 'custom',
        renderItem: errorBar,
        encode: { x: 0, y: [1, 2] },
        z: 10,
        data: policies.map((p, index) => present(p.slippageLow) && present(p.slippageHigh) ? [index, p.slippageLow, p.slippageHigh] : null)
          .filter(present),
      },
    ],
  }, { notMerge: true });
}

/** A vertical line from the interval's low to its high with a cap at each end. */
function errorBar(params, api) {
  const low = api.coord([api.value(0), api.value(1)]);
  const high = api.coord([api.value(0), api.value(2)]);
  const cap = Math.min(12, api.size([1, 0])[0] * 0.15);
  const style = { stroke: colors.text, lineWidth: 1.5 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: high[0], y1: high[1], x2: low[0], y2: low[1] }, style },
      { type: 'line', shape: { x1: high[0] - cap, y1: high[1], x2: high[0] + cap, y2: high[1] }, style },
      { type: 'line', shape: { x1: low[0] - cap, y1: low[1], x2: low[0] + cap, y2: low[1] }, style },
    ],
  };
}
