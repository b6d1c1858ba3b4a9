// Recovers a gap the README's way, with the `ws` package: logs in, subscribes, has the venue drop the
// next DROP sequenced messages (admin API, POST .../feed/drop), notices the gap (a seq jump or a
// heartbeat's lastSeq), replays exactly the missing seqs, then takes a snapshot and closes.
// Environment: FEED_URL, FEED_TOKEN, FEED_SYMBOLS, DROP_URL, ADMIN_KEY, DROP (default 5),
// TIMEOUT_MS (default 20000). Prints one JSON line on stdout.
const WebSocket = require('ws');

const url = process.env.FEED_URL;
const token = process.env.FEED_TOKEN;
const symbols = (process.env.FEED_SYMBOLS || '').split(',').filter(s => s.length > 0);
const drop = Number(process.env.DROP || 5);
const timeoutMs = Number(process.env.TIMEOUT_MS || 20000);

const summary = { seen: [], gap: null, detectedBy: null, replayed: [], replayDone: null, snapshot: null, errors: [], close: null };
let lastSeq = 0;
let dropRequested = false;

const socket = new WebSocket(url);
const timer = setTimeout(() => finish(2, 'timed out'), timeoutMs);

function finish(exitCode, why) {
  clearTimeout(timer);
  if (why) {
    summary.errors.push({ reason: 'client', detail: why });
  }
  console.log(JSON.stringify(summary));
  process.exit(exitCode);
}

function send(message) {
  socket.send(JSON.stringify(message));
}

async function requestDrop() {
  dropRequested = true;
  const response = await fetch(process.env.DROP_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Admin-Key': process.env.ADMIN_KEY },
    body: JSON.stringify({ count: drop }),
  });
  if (!response.ok) {
    finish(1, `drop answered ${response.status}: ${await response.text()}`);
  }
}

function onGap(fromSeq, toSeq, detectedBy) {
  if (summary.gap !== null) {
    return;
  }
  summary.gap = { fromSeq, toSeq };
  summary.detectedBy = detectedBy;
  send({ type: 'replay', fromSeq, toSeq });
}

socket.on('open', () => send({ type: 'login', token }));

socket.on('message', data => {
  const message = JSON.parse(data.toString('utf8'));
  switch (message.type) {
    case 'login_ok':
      send({ type: 'subscribe', symbols });
      break;
    case 'quote':
    case 'trade':
      if (message.replay === true) {
        summary.replayed.push(message.seq);
        break;
      }
      summary.seen.push(message.seq);
      if (message.seq > lastSeq + 1) {
        onGap(lastSeq + 1, message.seq - 1, 'seq');
      }
      lastSeq = Math.max(lastSeq, message.seq);
      if (lastSeq >= 5 && !dropRequested) {
        requestDrop().catch(err => finish(1, String(err)));
      }
      break;
    case 'heartbeat':
      if (message.lastSeq > lastSeq && dropRequested) {
        onGap(lastSeq + 1, message.lastSeq, 'heartbeat');
        lastSeq = message.lastSeq;
      }
      break;
    case 'replay_done':
      summary.replayDone = message;
      send({ type: 'snapshot' });
      break;
    case 'replay_unavailable':
      summary.errors.push({ reason: 'replay_unavailable', detail: JSON.stringify(message) });
      send({ type: 'snapshot' });
      break;
    case 'snapshot':
      summary.snapshot = { lastSeq: message.lastSeq, symbols: message.quotes.map(q => q.symbol) };
      socket.close(1000, 'done');
      break;
    case 'error':
      summary.errors.push({ reason: message.reason, detail: message.detail });
      break;
  }
});

socket.on('close', (code, reason) => {
  summary.close = { code, reason: reason.toString('utf8') };
  finish(0);
});

socket.on('error', err => finish(1, String(err && err.message)));
