/** Amounts of the paper account (decimal strings from /v2) as the portfolio view shows them. */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal string or number as a number; null when it is none. */
export function amount(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** `12345.6` → `$12,345.60`; a sign only when `signed` (`+$1.20`, `−$3.00`). */
export function formatMoney(value, { signed = false } = {}) {
  const n = amount(value);
  if (n === null) return '—';
  const text = money.format(Math.abs(n));
  if (n < 0) return `−${text}`;
  return signed && n > 0 ? `+${text}` : text;
}

/** A quantity as the API wrote it, without trailing zeros (`0.0100` → `0.01`). */
export function formatQty(value) {
  const n = amount(value);
  if (n === null) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

/** `up`, `down` or `flat`: the sign colour of an amount. */
export function signOf(value) {
  const n = amount(value);
  if (n === null || n === 0) return 'flat';
  return n > 0 ? 'up' : 'down';
}

/** The day's P&L: equity − last_equity (the equity at the previous US close), and as a fraction of it. */
export function dayProfitLoss(account) {
  const equity = amount(account?.equity);
  const last = amount(account?.last_equity);
  if (equity === null || last === null) return { value: null, pct: null };
  const value = Math.round((equity - last) * 100) / 100;
  return { value, pct: last === 0 ? null : (value / last) * 100 };
}
