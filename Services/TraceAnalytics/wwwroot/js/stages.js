// Section 2: a stage's p50/p95/p99 over time (with its span count), and every stage's percentiles.
import { el, fill } from './dom.js';
import { ms, percent, clock } from './format.js';
import { baseChart, chartIn, colors, pipelineStages, stageRank, stageColor, tooltipStyle } from './theme.js';

/** Bucket widths that give 20–30 points whatever the window. */
export const bucketFor = { '5m': '15s', '15m': '30s', '1h': '2m' };

export function fillStagePicker(picker, groups, selected) {
  const stages = new Set(pipelineStages.filter(s => !s.includes('rejected') && s !== 'risk.release'));
  for (const g of groups ?? []) if (g.stage) stages.add(g.stage);
  const wanted = [...stages].sort((a, b) => stageRank(a) - stageRank(b) || a.localeCompare(b));
  const current = [...picker.options].map(o => o.value);
  if (wanted.join('\n') !== current.join('\n')) {
    fill(picker, wanted.map(s => el('option', { value: s }, s)));
  }
  picker.value = selected;
}

export function renderTimeseries(container, series, stage) {
  const points = series.points ?? [];
  const chart = chartIn(container);
  const line = (name, key, color, width) => ({
    name,
    type: 'line',
    showSymbol: true,
    symbolSize: 5,
    connectNulls: false,
    smooth: 0.2,
    lineStyle: { width, color },
    itemStyle: { color },
    data: points.map(p => [p.start, p[key]]),
  });
  chart.setOption({
    ...baseChart,
    legend: { top: 0, right: 0, textStyle: { color: colors.text }, data: ['p50', 'p95', 'p99', 'spans'] },
    title: { text: stage, left: 0, top: 0, textStyle: { color: colors.text, fontSize: 13, fontWeight: 600 } },
    grid: { left: 64, right: 36, top: 36, bottom: 28 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'axis',
      formatter: items => [
        `<b>${clock(items[0].value[0])}</b>`,
        ...items.map(i => `${i.marker} ${i.seriesName} <b>${i.seriesName === 'spans' ? i.value[1] : ms(i.value[1])}</b>`),
      ].join('<br>'),
    },
    xAxis: {
      type: 'time',
      min: series.from,
      max: series.to,
      splitNumber: 4,
      axisLabel: { color: colors.muted, hideOverlap: true, formatter: v => clock(v).slice(0, 5) },
      axisLine: { lineStyle: { color: colors.axis } },
      splitLine: { show: false },
    },
    yAxis: [
      {
        type: 'value',
        axisLabel: { color: colors.muted, formatter: v => `${v} ms` }, splitLine: { lineStyle: { color: colors.grid } },
      },
      {
        type: 'value', minInterval: 1,
        axisLabel: { color: colors.muted }, splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'spans', type: 'bar', yAxisIndex: 1, barMaxWidth: 14, z: 1,
        itemStyle: { color: colors.count, opacity: 0.6 },
        data: points.map(p => [p.start, p.count]),
      },
      line('p50', 'p50Ms', colors.p50, 2),
      line('p95', 'p95Ms', colors.p95, 2),
      line('p99', 'p99Ms', colors.p99, 1.5),
    ],
  }, { notMerge: true });
  return points.some(p => p.count > 0);
}

export function renderStageTable(body, groups, selected, onPick) {
  const rows = (groups ?? []).filter(g => g.stage).sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || a.stage.localeCompare(b.stage));
  fill(body, rows.map(g => el('tr', {
    'data-testid': 'stage-row',
    dataset: { stage: g.stage },
    class: g.stage === selected ? 'selected' : null,
    tabindex: 0,
    title: `Show ${g.stage} over time`,
    onclick: () => onPick(g.stage),
    onkeydown: e => { if (e.key === 'Enter') onPick(g.stage); },
  },
  el('td', {}, el('span', { class: 'dot', style: { background: stageColor(g.stage) } }), g.stage),
  el('td', { class: 'num' }, g.count.toLocaleString()),
  el('td', { class: g.errorRate > 0 ? 'num bad' : 'num' }, g.errorRate > 0 ? percent(g.errorRate) : '0'),
  el('td', { class: 'num' }, ms(g.p50Ms)),
  el('td', { class: 'num' }, ms(g.p95Ms)),
  el('td', { class: 'num' }, ms(g.p99Ms)))));
  return rows.length > 0;
}
