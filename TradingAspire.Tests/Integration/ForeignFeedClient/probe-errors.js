// Probes the README's error rules with the `ws` package, on two connections at once:
//  - "bad": sends, in one go, frames the venue must answer with errors (before and after a login),
//    then one frame over the size limit, and records every answer and the close;
//  - "silent": never logs in, and records what comes and when the venue closes.
// Environment: FEED_URL, FEED_TOKEN, TIMEOUT_MS (default 20000). Prints one JSON line on stdout.
const WebSocket = require('ws');

const url = process.env.FEED_URL;
const token = process.env.FEED_TOKEN;
const timeoutMs = Number(process.env.TIMEOUT_MS || 20000);

const tooManySymbols = Array.from({ length: 65 }, () => 'BTC-USD');
const badFrames = [
  JSON.stringify({ type: 'subscribe', symbols: ['BTC-USD'] }), // before login
  'this is not json',
  Buffer.from([1, 2, 3]), // binary
  JSON.stringify({ type: 'login', token }),
  JSON.stringify({ type: 'login', token }),
  JSON.stringify({ type: 'venue_gossip' }),
  JSON.stringify({ type: 'replay', fromSeq: 5, toSeq: 1 }),
  JSON.stringify({ type: 'subscribe', symbols: tooManySymbols }),
  JSON.stringify({ type: 'subscribe', symbols: ['X'.repeat(5000)] }), // over the 4096-byte limit
];

function watch(name, onOpen) {
  return new Promise(resolve => {
    const result = { messages: [], close: null, openToCloseMs: null };
    const socket = new WebSocket(url);
    let openedAt = 0;
    socket.on('open', () => {
      openedAt = Date.now();
      onOpen(socket);
    });
    socket.on('message', data => {
      const message = JSON.parse(data.toString('utf8'));
      if (message.type !== 'heartbeat') {
        result.messages.push(message);
      }
    });
    socket.on('close', (code, reason) => {
      result.close = { code, reason: reason.toString('utf8') };
      result.openToCloseMs = Date.now() - openedAt;
      resolve([name, result]);
    });
    socket.on('error', err => result.messages.push({ type: 'client_error', detail: String(err && err.message) }));
  });
}

const timer = setTimeout(() => {
  console.log(JSON.stringify({ timedOut: true }));
  process.exit(2);
}, timeoutMs);

Promise.all([
  watch('bad', socket => badFrames.forEach(frame => socket.send(frame, { binary: Buffer.isBuffer(frame) }))),
  watch('silent', () => {}),
]).then(results => {
  clearTimeout(timer);
  console.log(JSON.stringify(Object.fromEntries(results)));
  process.exit(0);
});
