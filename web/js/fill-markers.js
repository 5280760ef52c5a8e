import { formatQty } from './portfolio-format.js';

const COLORS = { buy: '#2ee6a8', sell: '#ff6b6b' };

/** A fill from a FILL activity (`GET /v2/account/activities`); its id is the execution id the stream names too. */
export function fillFromActivity(activity) {
  const at = activity.id.indexOf('::');
  return {
    id: at === -1 ? activity.id : activity.id.slice(at + 2),
    symbol: activity.symbol,
    side: activity.side,
    price: Number(activity.price),
    qty: activity.qty,
    time: Date.parse(activity.transaction_time),
  };
}

/** A fill from a `trade_updates` message's data, or null for an event that is not a fill. */
export function fillFromUpdate(update) {
  if ((update.event !== 'fill' && update.event !== 'partial_fill') || !update.execution_id) return null;
  return {
    id: update.execution_id,
    symbol: update.order.symbol,
    side: update.order.side,
    price: Number(update.price),
    qty: update.qty,
    time: Date.parse(update.timestamp),
  };
}

/**
 * The chart's markers for `symbol`'s fills whose candle is on the chart (`book.has`), by time: one per
 * candle and side, with the quantity filled in it (a market order fills in parts over several prints).
 * Buys below the bar, sells above, like the signals, but as circles.
 */
export function fillMarkers(fills, symbol, book) {
  const groups = new Map();
  for (const fill of fills) {
    if (fill.symbol !== symbol || !Number.isFinite(fill.time)) continue;
    const start = book.bucket(fill.time);
    if (!book.has(start)) continue;
    const key = `${start}:${fill.side}`;
    const group = groups.get(key) ?? { start, side: fill.side, qty: 0 };
    group.qty += Number(fill.qty);
    groups.set(key, group);
  }
  const markers = [...groups.values()].map(({ start, side, qty }) => {
    const buy = side === 'buy';
    return {
      time: Math.floor(start / 1000),
      position: buy ? 'belowBar' : 'aboveBar',
      shape: 'circle',
      color: buy ? COLORS.buy : COLORS.sell,
      // Rounded: a sum of decimal quantities carries binary noise.
      text: `${buy ? 'B' : 'S'} ${formatQty(Math.round(qty * 1e8) / 1e8)}`,
    };
  });
  return markers.sort((a, b) => a.time - b.time || a.position.localeCompare(b.position));
}

/** The account's fills by execution id: the REST page and the live ones, each once. */
export class FillBook {
  #fills = new Map();

  /** Returns whether anything was new. */
  add(fills) {
    let added = false;
    for (const fill of fills) {
      if (!fill || this.#fills.has(fill.id)) continue;
      this.#fills.set(fill.id, fill);
      added = true;
    }
    return added;
  }

  clear() {
    this.#fills.clear();
  }

  all() {
    return [...this.#fills.values()];
  }
}
