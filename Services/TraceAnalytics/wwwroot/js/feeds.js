// Section 7: the venue feeds over the window (GET /api/feeds). Per venue: its state, uptime, disconnects, gaps
// (and how many were recovered), data-quality counts and connection sessions, each session opening its trace;
// and one chart of every venue's feed latency p50 (solid) and p99 (dashed) over time.
import { el, fill, escapeHtml } from './dom.js';
import { clock, ms, shortId } from './format.js';
import { baseChart, chartIn, colors, tooltipStyle } from './theme.js';

const MAX_SESSIONS = 8;

// Venues by their place in the (name-sorted) list, so two venues never share a colour on the chart.
const venueColors = ['#4f9cf9', '#b37feb', '#36cfc9', '#f759ab', '#95de64', '#ff9c6e', '#adc6ff', '#5cdbd3'];
const venueColor = index => venueColors[index % venueColors.length];

const count = value => (value ?? 0).toLocaleString('en-US');
const counted = (value, noun) => `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
const rate = value => value === null || value === undefined ? '—' : `${+value.toPrecision(3)}`;

/** The section has data once a venue has reports; sessions alone (an open one, say) do not make a feed's health. */
export const hasReports = response => (response.venues ?? []).some(v => v.reports > 0);

/** What the section says when no venue reported in the window, and what to do about it. */
export const feedsEmptyText = windowText =>
  `No feed-health reports in the last ${windowText}. The marketdata service publishes one per venue every few seconds ` +
  'to the marketdata.health stream: check that marketdata runs and is connected to its venues (Aspire dashboard), ' +
  'or pick a longer window.';

export function renderFeeds(list, chartContainer, response, onTrace) {
  const venues = response.venues ?? [];
  fill(list, venues.map((feed, index) => feedCard(feed, venueColor(index), onTrace)));
  renderLatency(chartContainer, response);
  return hasReports(response);
}

// ---- one venue -------------------------------------------------------------------------------

function feedCard(feed, color, onTrace) {
  const state = feed.state ?? 'unknown';
  const { uptime, gaps, connections, quality, latency } = feed;
  const unrecovered = gaps.gaps - gaps.recovered;
  return el('li', { class: `feed ${state}`, 'data-testid': 'feed', dataset: { venue: feed.venue, state } },
    el('div', { class: 'item-head' },
      el('span', { class: 'dot', style: { background: color } }),
      el('b', { class: 'feed-venue' }, feed.venue),
      el('span', { class: `badge ${state}`, 'data-field': 'state' }, feed.state ?? 'no reports'),
      feed.staleSymbols > 0 ? el('span', { class: 'muted small', 'data-field': 'stale' }, counted(feed.staleSymbols, 'stale symbol')) : null,
      el('span', { class: 'muted right' }, feed.stateAt ? `as of ${clock(feed.stateAt)} · ${counted(feed.reports, 'report')}` : 'no reports in the window')),
    el('dl', { class: 'feed-stats' },
      stat('uptime', 'Uptime', uptime.percent === null ? '—' : `${uptime.percent.toFixed(1)} %`,
        `${+uptime.connectedSeconds.toFixed(1)} of ${+uptime.coveredSeconds.toFixed(1)} s`, uptime.percent !== null && uptime.percent < 99),
      stat('disconnects', 'Disconnects', count(connections.disconnects), counted(connections.reconnects, 'reconnect'), connections.disconnects > 0),
      stat('gaps', 'Gaps', count(gaps.gaps), `${counted(gaps.gapMessages, 'message')} missed`, gaps.gaps > 0),
      stat('gap-rate', 'Gap rate', rate(gaps.gapsPer1000Messages), 'per 1,000 messages'),
      stat('recovered', 'Recovered', `${count(gaps.recovered)} of ${count(gaps.gaps)}`,
        gaps.gaps > 0 ? `${count(unrecovered)} not recovered` : 'no gap', unrecovered > 0),
      stat('latency', 'Worst p99', ms(latency.worstP99Ms), `max ${ms(latency.maxMs)}`),
      stat('messages', 'Messages', count(feed.messages), 'received'),
      stat('malformed', 'Malformed', count(quality.malformedFrames), 'frames', quality.malformedFrames > 0),
      stat('out-of-order', 'Out of order', count(quality.outOfOrder), 'messages', quality.outOfOrder > 0),
      stat('crossed', 'Crossed', count(quality.crossedQuotes), 'quotes (bid > ask)', quality.crossedQuotes > 0)),
    feed.lastDisconnectReason
      ? el('div', { class: 'muted small', 'data-field': 'last-disconnect' }, 'last disconnect: ', el('b', {}, feed.lastDisconnectReason))
      : null,
    sessionTable(feed, onTrace));
}

function stat(field, label, value, detail, bad = false) {
  return el('div', { class: 'stat', dataset: { field } },
    el('dt', {}, label),
    el('dd', { class: bad ? 'value bad' : 'value' }, value),
    el('dd', { class: 'detail' }, detail));
}

function sessionTable(feed, onTrace) {
  const sessions = feed.sessions ?? [];
  if (sessions.length === 0) return el('p', { class: 'muted small' }, 'No connection session traced in the window.');
  const shown = sessions.slice(0, MAX_SESSIONS);
  return el('div', { class: 'feed-sessions' },
    el('table', { class: 'data compact' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Session'), el('th', {}, 'Connected'), el('th', {}, 'Until'), el('th', {}, 'Outcome'), el('th', {}, 'Trace'))),
      el('tbody', {}, shown.map(s => sessionRow(s, onTrace)))),
    sessions.length > shown.length ? el('div', { class: 'muted small' }, `and ${counted(sessions.length - shown.length, 'older session')}`) : null);
}

function sessionRow(session, onTrace) {
  const failed = session.status === 'Error';
  // The short reason in the cell (connection_lost, login_refused…), the status description on hover.
  const outcome = failed ? session.disconnectReason || session.statusMessage || 'error' : session.disconnectReason ?? (session.open ? 'connected' : 'closed');
  return el('tr', { 'data-testid': 'feed-session', dataset: { traceId: session.traceId }, class: failed ? 'error' : null },
    el('td', { class: 'mono' }, session.sessionId ?? '—'),
    el('td', {}, clock(session.start)),
    el('td', {}, session.open ? el('span', { class: 'badge up' }, 'open') : clock(session.end)),
    el('td', { class: failed ? 'bad outcome' : 'outcome', title: session.statusMessage || null }, outcome),
    el('td', {},
      el('a', {
        class: 'link mono',
        href: session.url,
        title: `Open trace ${session.traceId}`,
        // A plain click opens the trace in the view above; ctrl/shift/middle click keep the link's own behaviour.
        onclick: event => {
          if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          onTrace(session.traceId);
        },
      }, shortId(session.traceId))));
}

// ---- latency chart ---------------------------------------------------------------------------

function renderLatency(container, response) {
  const venues = response.venues ?? [];
  const series = venues.flatMap((feed, index) => {
    const color = venueColor(index);
    const points = feed.latency.points ?? [];
    const line = (measure, key, type, width) => ({
      name: `${feed.venue} ${measure}`,
      type: 'line',
      showSymbol: true,
      symbolSize: 4,
      connectNulls: false,
      lineStyle: { width, color, type },
      itemStyle: { color },
      data: points.map(p => [p.start, p[key]]),
    });
    return [line('p50', 'p50Ms', 'solid', 2), line('p99', 'p99Ms', 'dashed', 1.5)];
  });
  const chart = chartIn(container);
  chart.setOption({
    ...baseChart,
    legend: { top: 0, right: 0, type: 'scroll', textStyle: { color: colors.text }, data: series.map(s => s.name) },
    title: { text: 'feed latency (receive − venue time)', left: 0, top: 0, textStyle: { color: colors.text, fontSize: 13, fontWeight: 600 } },
    grid: { left: 64, right: 24, top: 36, bottom: 28 },
    tooltip: {
      ...tooltipStyle,
      trigger: 'axis',
      formatter: items => [
        `<b>${clock(items[0].value[0])}</b>`,
        ...items.map(i => `${i.marker} ${escapeHtml(i.seriesName)} <b>${ms(i.value[1])}</b>`),
      ].join('<br>'),
    },
    xAxis: {
      type: 'time',
      min: response.from,
      max: response.to,
      splitNumber: 4,
      axisLabel: { color: colors.muted, hideOverlap: true, formatter: v => clock(v).slice(0, 5) },
      axisLine: { lineStyle: { color: colors.axis } },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', axisLabel: { color: colors.muted, formatter: v => `${v} ms` }, splitLine: { lineStyle: { color: colors.grid } } },
    series,
  }, { notMerge: true });
}
