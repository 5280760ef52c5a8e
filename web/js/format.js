/** `OANDA:EUR_USD` → `EUR_USD` (where shown, the full name is the title). */
export function shortName(symbol) {
  return symbol.replace(/^[A-Z]+:/, '');
}

/** A source's state (`/status` source, `/v1/symbols` feed): `down`, `up` or `reconnecting`, and its label. */
export function describeFeed(source) {
  const state = source.fatalError ? 'down' : source.connected ? 'up' : 'reconnecting';
  return { state, text: `${source.name} · ${state === 'up' ? 'connected' : state}` };
}

/** Decimals that suit a price: cents for stocks, pips for forex, more for small coins. */
export function precisionOf(price) {
  const magnitude = Math.abs(price);
  if (magnitude >= 100) return 2;
  if (magnitude >= 10) return 3;
  if (magnitude >= 1) return 5;
  return 6;
}

export function formatPrice(price) {
  if (price === null || price === undefined || !Number.isFinite(price)) return '—';
  const digits = precisionOf(price);
  return price.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatPercent(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 1234567 → `1.2M`; below 10,000 the plain number. */
export function formatCount(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) < 10_000 ? String(Math.round(value)) : compact.format(value);
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Unix ms → local `14:30:05`. */
export function formatTime(ms) {
  return Number.isFinite(ms) ? clock.format(new Date(ms)) : '—';
}

/** A duration in ms as `850 ms`, `12 s`, `4 min`. */
export function formatAge(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The stream's `lagging` notice: `lagging · 1,234 trades skipped`. */
export function describeLag(dropped) {
  const count = Number.isFinite(dropped) && dropped > 0 ? Math.round(dropped) : 0;
  return `lagging · ${count.toLocaleString('en-US')} trade${count === 1 ? '' : 's'} skipped`;
}
