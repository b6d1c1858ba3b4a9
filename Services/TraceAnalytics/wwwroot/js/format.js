// Number, time and id formatting shared by every section.

/** "0.42 ms", "12.3 ms", "245 ms", "1.24 s" */
export function ms(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${value.toFixed(0)} ms`;
  if (abs >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** 0.4231 → "42.3 %" */
export function percent(share, digits = 1) {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return `${(share * 100).toFixed(digits)} %`;
}

/** Local wall-clock time, "14:03:27". */
export function clock(value) {
  const date = value instanceof Date ? value : new Date(value);
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "a1b2c3…9f" for long ids in tight places; the full id stays in the title attribute. */
export function shortId(id, head = 8) {
  return id && id.length > head + 4 ? `${id.slice(0, head)}…${id.slice(-4)}` : id ?? '';
}

/**
 * Milliseconds since the epoch of an ISO 8601 UTC time with up to 7 fractional digits
 * (.NET's DateTime), keeping the sub-millisecond part Date.parse would drop.
 */
export function epochMs(iso) {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!match) return Date.parse(iso);
  const whole = Date.parse(`${match[1]}${match[3] ?? 'Z'}`);
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return whole + fraction;
}

export const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/**
 * Order ids are also 32 hex characters: GUID v7s (version nibble 7, variant 8–b, a millisecond timestamp
 * in the first 48 bits). A random trace id looks like a recent one about once in many thousand times,
 * so this only decides which lookup to try first.
 */
export function looksLikeOrderId(hex) {
  if (!TRACE_ID.test(hex) || hex[12] !== '7' || !'89abAB'.includes(hex[16])) return false;
  const created = parseInt(hex.slice(0, 12), 16);
  const now = Date.now();
  return created > now - 400 * 86_400_000 && created < now + 86_400_000;
}
