// A foreign venue-feed client: the `ws` package and the README's "Venue feed protocol", nothing of ours.
// Logs in, subscribes, reads quotes until it has QUOTES of them and a heartbeat, replays the first
// sequenced messages, takes a snapshot, closes, and prints one JSON summary line on stdout.
// Environment: FEED_URL (ws://host:port/venues/<venue>/feed), FEED_TOKEN, FEED_SYMBOLS (comma-separated),
// QUOTES (default 30), TIMEOUT_MS (default 20000).
const WebSocket = require('ws');

const url = process.env.FEED_URL;
const token = process.env.FEED_TOKEN;
const symbols = (process.env.FEED_SYMBOLS || '').split(',').filter(s => s.length > 0);
const wanted = Number(process.env.QUOTES || 30);
const timeoutMs = Number(process.env.TIMEOUT_MS || 20000);

const summary = {
  loginOk: null,
  loginRefused: null,
  subscribed: null,
  quotes: 0,
  trades: 0,
  symbols: [],
  firstSeq: null,
  lastSeq: null,
  contiguous: true,
  allBidBelowAsk: true,
  sampleQuote: null,
  minTs: null,
  maxTs: null,
  heartbeats: 0,
  lastHeartbeat: null,
  replay: null,
  snapshot: null,
  errors: [],
  close: null,
  timedOut: false,
};

const sequenced = new Map(); // seq -> the message as first sent
const quoteSymbols = new Set();
let phase = 'login';

const socket = new WebSocket(url);
const timer = setTimeout(() => {
  summary.timedOut = true;
  finish(2);
}, timeoutMs);

function send(message) {
  socket.send(JSON.stringify(message));
}

function finish(exitCode) {
  clearTimeout(timer);
  summary.symbols = [...quoteSymbols].sort();
  console.log(JSON.stringify(summary));
  process.exit(exitCode);
}

function onSequenced(message) {
  if (summary.firstSeq === null) {
    summary.firstSeq = message.seq;
  } else if (message.seq !== summary.lastSeq + 1) {
    summary.contiguous = false;
  }
  summary.lastSeq = message.seq;
  sequenced.set(message.seq, message);
  summary.minTs = summary.minTs === null ? message.ts : Math.min(summary.minTs, message.ts);
  summary.maxTs = summary.maxTs === null ? message.ts : Math.max(summary.maxTs, message.ts);
}

function onQuote(message) {
  summary.quotes++;
  quoteSymbols.add(message.symbol);
  if (!(message.bid < message.ask)) {
    summary.allBidBelowAsk = false;
  } else if (summary.sampleQuote === null) {
    summary.sampleQuote = message;
  }
}

function maybeReplay() {
  if (phase !== 'reading' || summary.quotes < wanted || summary.heartbeats === 0) {
    return;
  }
  phase = 'replaying';
  const toSeq = Math.min(summary.firstSeq + 2, summary.lastSeq);
  summary.replay = { fromSeq: summary.firstSeq, toSeq, seqs: [], allMarked: true, matchOriginal: true, done: null };
  send({ type: 'replay', fromSeq: summary.firstSeq, toSeq });
}

function onReplayed(message) {
  const replay = summary.replay;
  replay.seqs.push(message.seq);
  if (message.replay !== true) {
    replay.allMarked = false;
  }
  const { replay: _, ...asFirstSent } = message;
  if (JSON.stringify(asFirstSent) !== JSON.stringify(sequenced.get(message.seq))) {
    replay.matchOriginal = false;
  }
}

socket.on('open', () => send({ type: 'login', token }));

socket.on('message', (data, isBinary) => {
  if (isBinary) {
    summary.errors.push({ reason: 'client', detail: 'binary frame' });
    return;
  }
  const message = JSON.parse(data.toString('utf8'));
  switch (message.type) {
    case 'login_ok':
      summary.loginOk = message;
      phase = 'subscribing';
      send({ type: 'subscribe', symbols });
      break;
    case 'login_refused':
      summary.loginRefused = message.reason;
      break; // the venue closes the connection next
    case 'subscribed':
      summary.subscribed = message.symbols;
      phase = 'reading';
      break;
    case 'quote':
    case 'trade':
      if (message.replay === true) {
        onReplayed(message);
        break;
      }
      onSequenced(message);
      if (message.type === 'quote') {
        onQuote(message);
      } else {
        summary.trades++;
      }
      maybeReplay();
      break;
    case 'heartbeat':
      summary.heartbeats++;
      summary.lastHeartbeat = message;
      maybeReplay();
      break;
    case 'replay_done':
      summary.replay.done = message;
      phase = 'snapshot';
      send({ type: 'snapshot' });
      break;
    case 'replay_unavailable':
      summary.replay.unavailable = message;
      phase = 'snapshot';
      send({ type: 'snapshot' });
      break;
    case 'snapshot':
      summary.snapshot = {
        lastSeq: message.lastSeq,
        ts: message.ts,
        symbols: message.quotes.map(q => q.symbol).sort(),
        allBidBelowAsk: message.quotes.every(q => q.bid < q.ask),
      };
      phase = 'closing';
      socket.close(1000, 'done');
      break;
    case 'error':
      summary.errors.push({ reason: message.reason, detail: message.detail });
      break;
    default:
      summary.errors.push({ reason: 'client', detail: `unexpected type ${message.type}` });
  }
});

socket.on('close', (code, reason) => {
  summary.close = { code, reason: reason.toString('utf8') };
  finish(0);
});

socket.on('error', err => {
  summary.errors.push({ reason: 'client', detail: String(err && err.message) });
  finish(1);
});
