// Section 1, top: the trace's summary (order, trace, end-to-end time, the largest contributors, errors)
// and where its critical path spent its time (one stacked bar, by stage).
import { el, fill, escapeHtml } from './dom.js';
import { ms, percent, shortId } from './format.js';
import { baseChart, chartIn, colors, pipelineStages, serviceColor, stageColor, tooltipStyle } from './theme.js';

function kpi(label, value, { id, title } = {}) {
  return el('div', { class: 'kpi' },
    el('span', { class: 'kpi-label' }, label),
    el('span', { class: 'kpi-value', id, title }, value));
}

export function renderSummary(model, jaegerUrl, otherTraceIds, onTrace) {
  const path = model.criticalPath;
  const largest = path?.largestSelfTime;
  const largestStage = path?.largestStage;
  const summary = document.getElementById('trace-summary');
  fill(summary,
    el('div', { class: 'summary-row' },
      kpi('Order', model.orderId ?? '—', { id: 'trace-order-id', title: model.orderId ?? '' }),
      kpi('Trace', model.traceId, { id: 'trace-id', title: model.traceId }),
      model.order ? kpi('What', model.order, { id: 'trace-order-what' }) : null,
      el('div', { class: 'kpi kpi-actions' },
        otherTraceIds?.length
          ? el('span', { class: 'other-traces' }, 'Other traces of this order: ',
            otherTraceIds.map(id => el('button', { type: 'button', class: 'link', title: id, onclick: () => onTrace(id) }, shortId(id))))
          : null,
        el('a', { id: 'jaeger-download', class: 'button', href: jaegerUrl, download: `trace-${model.traceId}.json` }, 'Download Jaeger JSON'))),
    el('div', { class: 'summary-row' },
      kpi('End to end', ms(model.duration), { id: 'trace-duration' }),
      kpi('Spans', `${model.rows.length} in ${model.services.length} services`, { id: 'trace-span-count' }),
      kpi('Most critical-path time', largestStage
        ? el('span', {}, el('b', {}, largestStage.stage), ` ${ms(largestStage.onPathMs)}`, el('small', {}, ` ${percent(largestStage.share, 0)} of the trace`))
        : '—', { id: 'trace-largest-stage' }),
      kpi('Largest self time', largest
        ? el('span', {}, el('b', {}, largest.stage), ` ${ms(largest.selfTimeMs)}`,
          el('small', {}, largest.name === largest.stage ? ` in ${largest.serviceName}` : ` (span ${largest.name} in ${largest.serviceName})`))
        : '—', { id: 'trace-largest-self' }),
      kpi('Errors', model.errors.length === 0
        ? el('span', { class: 'ok' }, 'none')
        : el('span', { class: 'bad' }, model.errors.map(errorText).join(', ')), { id: 'trace-errors' })));
  summary.hidden = false;
}

/** "risk.check: order_notional_limit" — the span and why it failed. */
function errorText(row) {
  const why = row.span.statusMessage || row.span.attributes?.['error.type'];
  return why ? `${row.span.name}: ${why}` : row.span.name;
}

export function renderBreakdown(model) {
  const container = document.getElementById('critical-breakdown');
  container.hidden = model.breakdown.length === 0;
  document.getElementById('critical-caption').hidden = container.hidden;
  if (container.hidden) return;
  const chart = chartIn(container);
  const total = model.breakdown.reduce((sum, b) => sum + b.ms, 0);
  const width = container.clientWidth - 16;
  chart.setOption({
    ...baseChart,
    grid: { left: 8, right: 8, top: 2, bottom: 2 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'item',
      formatter: p => `<b>${escapeHtml(stageLabel(p.seriesName))}</b>${isWait(p.seriesName) ? ' (waiting in the stream)' : ''}`
        + `<br>${ms(p.value)} · ${percent(p.value / total)} of the critical path`,
    },
    xAxis: { type: 'value', show: false, max: total },
    yAxis: { type: 'category', show: false, data: ['path'] },
    series: model.breakdown.map(b => ({
      type: 'bar',
      name: b.stage,
      stack: 'path',
      barWidth: 30,
      data: [b.ms],
      itemStyle: {
        color: isWait(b.stage) || isStage(b.stage) || !b.service ? stageColor(b.stage) : serviceColor(b.service),
        borderColor: '#101624',
        borderWidth: 1,
        decal: isWait(b.stage) ? { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.12)' } : undefined,
      },
      label: {
        show: (b.ms / total) * width > 48,
        position: 'inside',
        color: isWait(b.stage) ? colors.text : '#0b0f19',
        fontWeight: 600,
        fontSize: 11,
        width: (b.ms / total) * width - 8,
        overflow: 'truncate',
        formatter: () => `${stageLabel(b.stage)}  ${ms(b.ms)}`,
      },
    })),
  }, { notMerge: true });
}

const isWait = stage => stage.startsWith('wait after ');
const isStage = stage => pipelineStages.includes(stage);

/** "wait after send orders.new" → "queued in orders.new": the time an entry waited for its consumer. */
function stageLabel(stage) {
  return isWait(stage) ? stage.replace(/^wait after (send )?/, 'queued in ') : stage;
}
