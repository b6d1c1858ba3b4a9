// Section 3: stages ranked by their share of end-to-end latency (time on the critical paths).
import { escapeHtml } from './dom.js';
import { ms, percent } from './format.js';
import { baseChart, chartIn, colors, stageColor, tooltipStyle } from './theme.js';

const MAX_STAGES = 10;

export function renderBottlenecks(container, meta, report) {
  const stages = (report.stages ?? []).filter(s => s.share > 0).slice(0, MAX_STAGES).reverse();
  meta.textContent = report.traces > 0
    ? `${report.traces.toLocaleString()} traces · end to end p50 ${ms(report.traceP50Ms)} · p95 ${ms(report.traceP95Ms)} · p99 ${ms(report.traceP99Ms)}`
    : '';
  container.style.height = `${Math.max(3, stages.length) * 30 + 60}px`;
  const chart = chartIn(container);
  if (container.clientWidth > 0) chart.resize();
  chart.setOption({
    ...baseChart,
    legend: { top: 0, right: 0, textStyle: { color: colors.text }, data: ['all traces', 'slowest 5 %'] },
    grid: { left: 158, right: 44, top: 28, bottom: 24 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: items => {
        const s = stages[items[0].dataIndex];
        return `<b>${escapeHtml(s.stage)}</b><br>${percent(s.share)} of end-to-end latency (${percent(s.tailShare)} in the slowest 5 %)`
          + `<br>${ms(s.criticalPathMs / Math.max(1, s.traces))} per trace on the critical path, in ${s.traces} traces`
          + (s.p95Ms !== null && s.p95Ms !== undefined ? `<br>stage p95 ${ms(s.p95Ms)} · p99 ${ms(s.p99Ms)}` : '');
      },
    },
    xAxis: { type: 'value', max: v => Math.min(1, Math.ceil(v.max * 10) / 10), axisLabel: { color: colors.muted, formatter: v => `${Math.round(v * 100)} %` }, splitLine: { lineStyle: { color: colors.grid } } },
    yAxis: {
      type: 'category',
      data: stages.map(s => s.stage.replace(/^wait after (send )?/, 'queued in ')),
      axisLabel: { color: colors.text, fontSize: 12, width: 148, overflow: 'truncate' },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: colors.axis } },
    },
    series: [
      {
        name: 'all traces',
        type: 'bar',
        barWidth: 12,
        data: stages.map(s => ({ value: s.share, itemStyle: { color: stageColor(s.stage) } })),
        label: { show: true, position: 'right', color: colors.text, fontSize: 11, formatter: p => percent(p.value, 0) },
      },
      {
        name: 'slowest 5 %',
        type: 'bar',
        barWidth: 5,
        barGap: '20%',
        itemStyle: { color: colors.p99, opacity: 0.8 },
        data: stages.map(s => s.tailShare),
      },
    ],
  }, { notMerge: true });
  return stages.length > 0;
}
