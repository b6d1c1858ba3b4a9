// Colours and chart defaults shared by every chart, matching css/page.css.

export const colors = {
  text: '#d5dbe6',
  muted: '#8793a8',
  grid: '#263044',
  axis: '#3a4760',
  critical: '#ffc53d',
  error: '#ff5c5c',
  p50: '#4f9cf9',
  p95: '#ffc53d',
  p99: '#ff7a45',
  count: '#3a4760',
};

// The pipeline's services keep their colour from trace to trace; anything else gets one from the palette.
const serviceColors = {
  orderflow: '#8c96a8',
  gateway: '#4f9cf9',
  risk: '#b37feb',
  execution: '#36cfc9',
  exchanges: '#f759ab',
  notification: '#95de64',
  analytics: '#ffd666',
};
const palette = ['#597ef7', '#ff9c6e', '#5cdbd3', '#d3adf7', '#ffe58f', '#87e8de', '#adc6ff'];

export function serviceColor(service) {
  if (serviceColors[service]) return serviceColors[service];
  let hash = 0;
  for (const c of service ?? '') hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return palette[Math.abs(hash) % palette.length];
}

/** The order an order's stages happen in (tables and pickers list them this way). */
export const pipelineStages = [
  'order.receive', 'order.validate', 'send orders.new', 'process orders.new', 'risk.check',
  'send orders.approved', 'send orders.rejected', 'process orders.approved', 'process orders.rejected',
  'order.route', 'order.execute', 'venue.match', 'send orders.filled', 'process orders.filled',
  'risk.release', 'order.confirm', 'order.notify',
];

export function stageRank(stage) {
  const index = pipelineStages.indexOf(stage);
  return index < 0 ? pipelineStages.length : index;
}

/** The service a stage runs in, so stage-level charts use the colours of the waterfall. */
const stageServices = {
  'order.receive': 'gateway', 'order.validate': 'gateway', 'send orders.new': 'gateway',
  'process orders.new': 'risk', 'risk.check': 'risk', 'send orders.approved': 'risk', 'send orders.rejected': 'risk', 'risk.release': 'risk',
  'process orders.approved': 'execution', 'order.route': 'execution', 'order.execute': 'execution', 'send orders.filled': 'execution',
  'venue.match': 'exchanges',
  'process orders.rejected': 'notification', 'process orders.filled': 'notification', 'order.confirm': 'notification', 'order.notify': 'notification',
};

export function stageColor(stage) {
  if (stage?.startsWith('wait after ')) return '#4a5671';
  if (stage === '(gap)') return '#2c3447';
  return stageServices[stage] ? serviceColor(stageServices[stage]) : serviceColor(stage);
}

export const baseChart = {
  backgroundColor: 'transparent',
  textStyle: { color: colors.text, fontFamily: 'Inter, "Segoe UI", system-ui, sans-serif' },
  animation: false,
};

export const tooltipStyle = {
  backgroundColor: '#101624',
  borderColor: '#33405a',
  textStyle: { color: colors.text, fontSize: 12 },
  extraCssText: 'box-shadow: 0 6px 24px rgba(0,0,0,.5); border-radius: 6px;',
};

/** Creates (once) and returns the ECharts instance of a container, resizing with it. */
export function chartIn(container) {
  let chart = echarts.getInstanceByDom(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    new ResizeObserver(() => chart.resize()).observe(container);
  }
  return chart;
}
