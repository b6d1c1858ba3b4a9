// Section 1: one trace — its summary and critical-path breakdown (trace-summary.js), the waterfall
// (ECharts custom series: one row per span, parent before children) and the same spans as a table.
import { el, fill, escapeHtml } from './dom.js';
import { ms } from './format.js';
import { keyAttributes } from './trace-model.js';
import { baseChart, chartIn, colors, serviceColor, tooltipStyle } from './theme.js';
import { renderBreakdown, renderSummary } from './trace-summary.js';

const ROW_HEIGHT = 24;
const LABEL_WIDTH = 380;
const SERVICE_WIDTH = 96;
const INDENT = 12;

export function renderTrace(model, { jaegerUrl, otherTraceIds, onTrace }) {
  renderSummary(model, jaegerUrl, otherTraceIds, onTrace);
  renderBreakdown(model);
  renderWaterfall(model);
  renderSpanTable(model);
}

function renderWaterfall(model) {
  const container = document.getElementById('waterfall');
  container.style.height = `${model.rows.length * ROW_HEIGHT + 92}px`;
  container.hidden = false;
  const chart = chartIn(container);
  chart.resize();

  const bandBackground = rowBands(model.rows);
  const series = [
    {
      type: 'custom',
      name: 'rows',
      silent: true,
      clip: false,
      z: 0,
      encode: { x: 1, y: 0 },
      data: model.rows.map(r => [r.index, 0]),
      renderItem: (params, api) => renderRowLabel(model.rows[api.value(0)], bandBackground[api.value(0)], params, api),
    },
    ...model.services.map(service => ({
      type: 'custom',
      name: service,
      itemStyle: { color: serviceColor(service) },
      clip: true,
      z: 2,
      encode: { x: [1, 2], y: 0 },
      data: model.rows.filter(r => r.span.serviceName === service).map(r => ({ value: [r.index, r.start, r.end], row: r })),
      renderItem: (params, api) => renderSpanBar(model.rows[api.value(0)], params, api),
    })),
    {
      type: 'custom',
      name: 'Critical path',
      itemStyle: { color: colors.critical },
      clip: true,
      z: 3,
      encode: { x: [1, 2], y: 0 },
      tooltip: { show: false },
      silent: true,
      data: model.segments.map(s => ({ value: [s.row, s.startOffsetMs, s.startOffsetMs + s.durationMs], kind: s.kind })),
      renderItem: (params, api) => renderPathSegment(model.segments[params.dataIndex], params, api),
    },
    {
      // Legend entry only: spans in Error are drawn red by their service's series.
      type: 'custom', name: 'Error', itemStyle: { color: colors.error }, data: [], renderItem: () => null,
    },
  ];

  chart.setOption({
    ...baseChart,
    legend: {
      top: 0,
      left: LABEL_WIDTH,
      textStyle: { color: colors.text },
      itemWidth: 14,
      itemHeight: 10,
      data: [...model.services, 'Critical path', 'Error'],
    },
    grid: { left: LABEL_WIDTH, right: 76, top: 56, bottom: 40 },
    tooltip: { ...tooltipStyle, trigger: 'item', confine: true, formatter: p => spanTooltip(p.data?.row) },
    xAxis: {
      type: 'value',
      position: 'top',
      min: 0,
      max: Math.ceil(model.duration * 1.02 * 10) / 10,
      axisLabel: { color: colors.muted, formatter: v => `${v} ms`, showMaxLabel: false },
      axisLine: { lineStyle: { color: colors.axis } },
      splitLine: { lineStyle: { color: colors.grid } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: model.rows.map(r => r.index),
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { show: false },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'ctrl', moveOnMouseWheel: false },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 16, bottom: 8, borderColor: colors.axis, textStyle: { color: colors.muted }, labelFormatter: v => `${v.toFixed(1)} ms` },
    ],
    series,
  }, { notMerge: true });
}

/** A faint band behind each run of consecutive rows of one service, so the eye groups them. */
function rowBands(rows) {
  let shade = false;
  return rows.map((r, i) => {
    if (i > 0 && rows[i - 1].span.serviceName !== r.span.serviceName) shade = !shade;
    return shade;
  });
}

function renderRowLabel(row, shaded, params, api) {
  const grid = params.coordSys;
  const y = api.coord([0, row.index])[1];
  const height = api.size([0, 1])[1];
  const left = grid.x - LABEL_WIDTH + 8;
  const color = serviceColor(row.span.serviceName);
  const nameX = left + SERVICE_WIDTH + row.depth * INDENT;
  const children = [
    {
      type: 'rect',
      shape: { x: left - 8, y: y - height / 2, width: LABEL_WIDTH + grid.width + 8, height },
      style: { fill: shaded ? 'rgba(255,255,255,0.035)' : 'rgba(0,0,0,0)' },
    },
    {
      type: 'rect',
      shape: { x: left, y: y - 7, width: 4, height: 14, r: 2 },
      style: { fill: color },
    },
    {
      type: 'text',
      style: {
        x: left + 10, y, text: row.span.serviceName, fill: color, fontSize: 11,
        verticalAlign: 'middle', width: SERVICE_WIDTH - 14, overflow: 'truncate',
      },
    },
    {
      type: 'text',
      style: {
        x: nameX, y,
        text: row.span.name,
        fill: row.isError ? colors.error : row.isStage ? colors.text : colors.muted,
        fontSize: 12,
        fontWeight: row.isStage ? 600 : 400,
        verticalAlign: 'middle',
        width: Math.max(40, LABEL_WIDTH - SERVICE_WIDTH - row.depth * INDENT - 12),
        overflow: 'truncate',
      },
    },
  ];
  if (row.critical) {
    // A column of gold dots between the services and the span tree: this span is on the critical path.
    children.push({
      type: 'circle',
      shape: { cx: left + SERVICE_WIDTH - 10, cy: y, r: 3.5 },
      style: { fill: colors.critical },
    });
  }
  if (row.depth > 0) {
    // A short elbow from the parent's column to this row shows the nesting.
    const elbowX = nameX - INDENT + 4;
    children.push({
      type: 'polyline',
      shape: { points: [[elbowX, y - height / 2], [elbowX, y], [nameX - 3, y]] },
      style: { stroke: '#3a4760', lineWidth: 1, fill: null },
    });
  }
  return { type: 'group', children };
}

function renderSpanBar(row, params, api) {
  const grid = params.coordSys;
  const [x0, y] = api.coord([row.start, row.index]);
  const x1 = api.coord([row.end, row.index])[0];
  const height = api.size([0, 1])[1] * 0.56;
  const width = Math.max(2, x1 - x0);
  const fill = row.isError ? colors.error : serviceColor(row.span.serviceName);
  const label = ms(row.span.durationMs);
  const labelRight = x0 + width + 6;
  const fitsRight = labelRight + 52 < grid.x + grid.width;
  return {
    type: 'group',
    children: [
      {
        type: 'rect',
        shape: { x: x0, y: y - height / 2, width, height, r: 2 },
        style: {
          fill,
          opacity: row.critical || row.isError ? 1 : 0.45,
          stroke: row.critical ? colors.critical : null,
          lineWidth: row.critical ? 1 : 0,
        },
        emphasis: { style: { opacity: 1, stroke: '#ffffff', lineWidth: 1 } },
      },
      {
        type: 'text',
        silent: true,
        style: {
          x: fitsRight ? labelRight : x0 - 6,
          y,
          text: label,
          align: fitsRight ? 'left' : 'right',
          verticalAlign: 'middle',
          fontSize: 11,
          fill: row.critical ? colors.text : colors.muted,
        },
      },
    ],
  };
}

/** The critical path through this row: a bright line while the span itself runs, dashed while it waits for its child. */
function renderPathSegment(segment, params, api) {
  if (!segment) return null;
  const [x0, y] = api.coord([segment.startOffsetMs, segment.row]);
  const x1 = api.coord([segment.startOffsetMs + segment.durationMs, segment.row])[0];
  const height = api.size([0, 1])[1];
  const lineY = y + height * 0.28 + 2;
  return {
    type: 'line',
    shape: { x1: x0, y1: lineY, x2: Math.max(x1, x0 + 1.5), y2: lineY },
    style: {
      stroke: colors.critical,
      lineWidth: segment.kind === 'self' ? 3 : 1.5,
      lineDash: segment.kind === 'self' ? null : [3, 3],
    },
  };
}

function spanTooltip(row) {
  if (!row) return '';
  const s = row.span;
  const attributes = keyAttributes(s.attributes)
    .map(([k, v]) => `<tr><td class="tt-key">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('');
  const status = s.statusCode === 'Error'
    ? `<div class="tt-error">Error${s.statusMessage ? `: ${escapeHtml(s.statusMessage)}` : ''}</div>` : '';
  return `<div class="tt">
    <div class="tt-title">${escapeHtml(s.name)}</div>
    <div class="tt-sub"><span class="tt-dot" style="background:${serviceColor(s.serviceName)}"></span>${escapeHtml(s.serviceName)} · ${escapeHtml(s.kind)}</div>
    <table>
      <tr><td class="tt-key">duration</td><td><b>${ms(s.durationMs)}</b></td></tr>
      <tr><td class="tt-key">self time</td><td>${ms(row.selfMs)}</td></tr>
      <tr><td class="tt-key">starts at</td><td>+${ms(row.start)}</td></tr>
      ${row.critical ? `<tr><td class="tt-key">critical path</td><td class="tt-critical">${ms(row.critical.onPathMs)} running${row.critical.waitMs > 0 ? ` + ${ms(row.critical.waitMs)} waiting` : ''}</td></tr>` : ''}
      ${attributes}
    </table>${status}</div>`;
}

function renderSpanTable(model) {
  const body = document.querySelector('#span-table tbody');
  fill(body, model.rows.map(r => el('tr', {
    'data-testid': 'waterfall-span',
    dataset: {
      spanId: r.span.spanId,
      service: r.span.serviceName,
      critical: String(r.critical !== null),
      status: r.span.statusCode,
    },
    class: [r.critical ? 'critical' : '', r.isError ? 'error' : ''].join(' ').trim() || null,
  },
  el('td', { 'data-col': 'name', style: { paddingLeft: `${8 + r.depth * INDENT}px` } }, r.span.name),
  el('td', { 'data-col': 'service' }, el('span', { class: 'dot', style: { background: serviceColor(r.span.serviceName) } }), r.span.serviceName),
  el('td', { class: 'num' }, `+${ms(r.start)}`),
  el('td', { class: 'num', 'data-col': 'duration' }, ms(r.span.durationMs)),
  el('td', { class: 'num' }, ms(r.selfMs)),
  el('td', { class: 'num', 'data-col': 'critical' }, r.critical ? ms(r.critical.onPathMs + r.critical.waitMs) : ''),
  el('td', {}, r.span.statusCode))));
  document.getElementById('span-count').textContent = String(model.rows.length);
  document.getElementById('span-list').hidden = false;
}

export function clearTrace() {
  for (const id of ['trace-summary', 'critical-caption', 'critical-breakdown', 'waterfall', 'span-list']) {
    document.getElementById(id).hidden = true;
  }
}
