// The page's wiring: search and URL (?order= / ?trace=), the window selector, the 10 s refresh of
// the summary sections, and clicks on anomalies, alerts and feed sessions that open a trace.
import { api, problemText } from './api.js';
import { setSectionState } from './dom.js';
import { clock, looksLikeOrderId, TRACE_ID } from './format.js';
import { buildTraceModel } from './trace-model.js';
import { renderTrace, clearTrace } from './waterfall.js';
import { bucketFor, fillStagePicker, renderStageTable, renderTimeseries } from './stages.js';
import { renderBottlenecks } from './bottlenecks.js';
import { renderAnomalies } from './anomalies.js';
import { normalizeAlerts, renderAlerts } from './alerts.js';
import { samplingText } from './sampling.js';
import { renderRecommendations } from './recommendations.js';
import { feedsEmptyText, renderFeeds } from './feeds.js';
import { arbitrageEmptyText, latencySlippageEmptyText, renderArbitrage, renderLatencySlippage } from './trade-analysis.js';
import { renderRouting, routingEmptyText } from './routing-analysis.js';

const REFRESH_MS = 10_000;
const $ = id => document.getElementById(id);

const state = {
  window: '15m',
  stage: 'venue.match',
  traceRequest: 0,
  refreshing: false,
  // A refresh asked for while one runs (the window changed): it runs once that one ends.
  refreshAgain: false,
};

// ---- one trace -------------------------------------------------------------------------------

/** Shows a trace: an order id, a trace id, or a 32-hex value that could be either (order ids are GUIDs). */
async function showTrace({ orderId, traceId, query }, { scroll = false } = {}) {
  const section = $('trace-section');
  const request = ++state.traceRequest;
  const label = orderId ? `order ${orderId}` : traceId ? `trace ${traceId}` : query;
  setSectionState(section, 'loading', `Loading ${label}…`);

  let result;
  let lookedUp = orderId ? 'order' : 'trace';
  if (orderId) {
    result = await api.orderTrace(orderId);
  } else if (traceId) {
    result = await api.trace(traceId);
  } else {
    // 32 hex characters: an order id or a trace id. Try the likelier first, then the other.
    lookedUp = looksLikeOrderId(query) ? 'order' : 'trace';
    result = lookedUp === 'order' ? await api.orderTrace(query) : await api.trace(query);
    if (result.status === 404) {
      lookedUp = lookedUp === 'order' ? 'trace' : 'order';
      result = lookedUp === 'order' ? await api.orderTrace(query) : await api.trace(query);
    }
  }
  if (request !== state.traceRequest) return;

  if (!result.ok) {
    clearTrace();
    const message = result.status === 404
      ? `No trace of ${label} is stored (yet): spans reach the store a few seconds after the order.`
      : `Could not load ${label}: ${problemText(result)}`;
    setSectionState(section, 'error', message);
    return;
  }

  const trace = result.data;
  const path = await api.criticalPath(trace.traceId);
  if (request !== state.traceRequest) return;

  const model = buildTraceModel(trace.spans, path.ok ? path.data : null);
  renderTrace(model, {
    jaegerUrl: api.jaegerUrl(trace.traceId),
    otherTraceIds: trace.otherTraceIds,
    onTrace: id => showTrace({ traceId: id }),
  });
  setSectionState(section, 'ready', path.ok ? '' : `The critical path could not be computed: ${problemText(path)}`);
  section.dataset.traceId = trace.traceId;

  const url = new URL(window.location.href);
  url.searchParams.delete('order');
  url.searchParams.delete('trace');
  if (lookedUp === 'order') url.searchParams.set('order', trace.orderId ?? orderId ?? query);
  else url.searchParams.set('trace', trace.traceId);
  window.history.replaceState(null, '', url);
  if (scroll) section.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function openTrace(traceId) {
  $('search').value = traceId;
  showTrace({ traceId }, { scroll: true });
}

// ---- summary sections ------------------------------------------------------------------------

async function section(id, load, render, emptyText) {
  const element = $(id);
  if (!element.dataset.state || element.dataset.state === 'error') setSectionState(element, 'loading', 'Loading…');
  const result = await load();
  if (!result.ok) {
    setSectionState(element, 'error', problemText(result));
    return;
  }
  const hasData = render(result.data);
  setSectionState(element, hasData ? 'ready' : 'empty', hasData ? '' : emptyText());
}

const windowText = () => ({ '5m': '5 minutes', '15m': '15 minutes', '1h': 'hour' })[state.window];

async function refreshStages() {
  await section('percentiles-section',
    async () => {
      const [groups, series] = await Promise.all([
        api.percentiles(state.window),
        api.timeseries(state.stage, state.window, bucketFor[state.window]),
      ]);
      return groups.ok && series.ok ? { ok: true, data: { groups: groups.data, series: series.data } } : (groups.ok ? series : groups);
    },
    ({ groups, series }) => {
      fillStagePicker($('stage-picker'), groups.groups, state.stage);
      const hasSeries = renderTimeseries($('percentiles-chart'), series, state.stage);
      const hasTable = renderStageTable($('stage-table').tBodies[0], groups.groups, state.stage, pickStage);
      return hasSeries || hasTable;
    },
    () => `No stage spans in the last ${windowText()}.`);
}

function pickStage(stage) {
  state.stage = stage;
  $('stage-picker').value = stage;
  refreshStages();
}

async function refreshAlerts() {
  const element = $('alerts-section');
  const result = await api.alerts();
  // Alerts are optional: a service without them (404) has, in effect, no alerts.
  const alerts = result.ok ? normalizeAlerts(result.data) : [];
  if (!result.ok && result.status !== 404) {
    setSectionState(element, 'error', problemText(result));
    return;
  }
  const firing = alerts.filter(a => a.state === 'firing').length;
  $('alerts-count').textContent = firing > 0 ? `${firing} firing` : '';
  const hasAlerts = renderAlerts($('alerts-list'), alerts, openTrace);
  setSectionState(element, hasAlerts ? 'ready' : 'empty', hasAlerts ? '' : 'No alerts.');
}

async function refreshSampling() {
  const result = await api.sampling();
  const text = result.ok ? samplingText(result.data) : '';
  $('sampling').textContent = text;
  $('sampling').hidden = text === '';
}

async function refreshSummaries() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  state.refreshAgain = false;
  try {
    await Promise.all([
      refreshStages(),
      section('bottlenecks-section', () => api.bottlenecks(state.window),
        report => renderBottlenecks($('bottlenecks-chart'), $('bottlenecks-meta'), report),
        () => `No complete traces in the last ${windowText()}.`),
      section('anomalies-section', () => api.anomalies(state.window),
        response => renderAnomalies($('anomalies-list'), response, openTrace),
        () => `No anomalies in the last ${windowText()}: every stage is within its usual range.`),
      refreshAlerts(),
      refreshSampling(),
      section('recommendations-section', () => api.recommendations(state.window),
        response => renderRecommendations($('recommendations-list'), response),
        () => 'Nothing to recommend: no stage stands out.'),
      section('feeds-section', () => api.feeds(state.window),
        response => renderFeeds($('feeds-list'), $('feeds-chart'), response, openTrace),
        () => feedsEmptyText(windowText())),
      section('latency-slippage-section', () => api.latencySlippage(state.window),
        response => renderLatencySlippage($('slippage-charts'), $('slippage-table').tBodies[0], response),
        () => latencySlippageEmptyText(windowText())),
      section('routing-section', () => api.routing(state.window),
        response => renderRouting({
          verdict: $('routing-verdict'), sharesChart: $('routing-shares-chart'),
          slippageChart: $('routing-slippage-chart'), table: $('routing-table').tBodies[0],
        }, response, windowText()),
        () => routingEmptyText(windowText())),
      section('arbitrage-section', () => api.arbitrage(state.window),
        response => renderArbitrage($('arbitrage-chart'), $('arbitrage-meta'), $('arbitrage-stages').tBodies[0], response),
        () => arbitrageEmptyText(windowText())),
    ]);
    $('refreshed').textContent = `updated ${clock(new Date())}`;
  } finally {
    state.refreshing = false;
  }
  if (state.refreshAgain) refreshSummaries();
}

// ---- wiring ----------------------------------------------------------------------------------

function search() {
  const value = $('search').value.trim();
  if (value === '') return;
  if (TRACE_ID.test(value)) showTrace({ query: value.toLowerCase() });
  else showTrace({ orderId: value });
}

$('search-form').addEventListener('submit', event => {
  event.preventDefault();
  search();
});

$('window').addEventListener('change', event => {
  state.window = event.target.value;
  refreshSummaries();
});

$('stage-picker').addEventListener('change', event => pickStage(event.target.value));

// Everything is wired: searching now works (tests wait for this before typing).
document.documentElement.dataset.ready = 'true';

const params = new URLSearchParams(window.location.search);
if (params.get('order')) {
  $('search').value = params.get('order');
  showTrace({ orderId: params.get('order') });
} else if (params.get('trace')) {
  $('search').value = params.get('trace');
  showTrace({ traceId: params.get('trace') });
}

refreshSummaries();
setInterval(() => {
  if (!document.hidden) refreshSummaries();
}, REFRESH_MS);
