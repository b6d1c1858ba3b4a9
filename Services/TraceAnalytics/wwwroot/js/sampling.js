// The header's tail-sampling line: what share of ordinary traces the store keeps, what it kept by reason and what
// it dropped since it started (GET /api/sampling). Empty when tail sampling is off.

export function samplingText(status) {
  if (!status?.enabled) return '';
  const share = `${+(status.keepShare * 100).toPrecision(3)}%`;
  const reasons = Object.entries(status.keptByReason ?? {})
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${count.toLocaleString('en-US')}`)
    .join(', ');
  return `Tail sampling keeps ${share} of ordinary traces · kept ${status.keptTraces.toLocaleString('en-US')}` +
    (reasons ? ` (${reasons})` : '') +
    ` · dropped ${status.droppedTraces.toLocaleString('en-US')} · waiting ${status.bufferedTraces.toLocaleString('en-US')}` +
    ' · percentiles weighted';
}
