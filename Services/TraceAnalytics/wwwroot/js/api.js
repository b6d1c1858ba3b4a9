// The analytics API, read-only; the login cookie authenticates these same-origin calls. Every call resolves
// to { ok, status, data }: sections decide how to show a 404 or an error, and nothing here throws for an HTTP status.

async function getJson(path) {
  try {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    // The login cookie expired or the operator key changed: reloading shows the login form.
    if (response.status === 401) location.reload();
    const data = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
    return { ok: response.ok, status: response.status, data };
  } catch (error) {
    return { ok: false, status: 0, data: null, error };
  }
}

const q = encodeURIComponent;

export const api = {
  trace: traceId => getJson(`api/traces/${q(traceId)}`),
  orderTrace: orderId => getJson(`api/orders/${q(orderId)}/trace`),
  criticalPath: traceId => getJson(`api/traces/${q(traceId)}/critical-path`),
  jaegerUrl: traceId => `api/traces/${q(traceId)}/jaeger`,
  percentiles: window => getJson(`api/stages/percentiles?groupBy=stage&window=${q(window)}`),
  timeseries: (stage, window, bucket) => getJson(`api/stages/timeseries?stage=${q(stage)}&window=${q(window)}&bucket=${q(bucket)}`),
  bottlenecks: window => getJson(`api/bottlenecks?window=${q(window)}`),
  anomalies: window => getJson(`api/anomalies?window=${q(window)}&limit=20`),
  recommendations: window => getJson(`api/recommendations?window=${q(window)}`),
  alerts: () => getJson('api/alerts?state=all'),
  sampling: () => getJson('api/sampling'),
  feeds: window => getJson(`api/feeds?window=${q(window)}`),
  latencySlippage: window => getJson(`api/analysis/latency-slippage?window=${q(window)}`),
  arbitrage: window => getJson(`api/analysis/arbitrage?window=${q(window)}`),
  routing: window => getJson(`api/analysis/routing?window=${q(window)}`),
};

/** A problem+json's detail, or a short description of the failure. */
export function problemText(result) {
  if (result.status === 0) return 'The analytics service did not answer.';
  return result.data?.detail ?? result.data?.title ?? `HTTP ${result.status}`;
}
