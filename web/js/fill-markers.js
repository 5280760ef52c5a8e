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
 * The chart's markers for `symbol`'s fills: one per fill whose candle is on the chart (`book.has`),
 * by time. Buys below the bar, sells above, like the signals, but as circles with the quantity.
 */
export function fillMarkers(fills, symbol, book) {
  const markers = [];
  for (const fill of fills) {
    if (fill.symbol !== symbol || !Number.isFinite(fill.time)) continue;
    const start = book.bucket(fill.time);
    if (!book.has(start)) continue;
    const buy = fill.side === 'buy';
    markers.push({
      time: Math.floor(start / 1000),
      position: buy ? 'belowBar' : 'aboveBar',
      shape: 'circle',
      color: buy ? COLORS.buy : COLORS.sell,
      text: `${buy ? 'B' : 'S'} ${formatQty(fill.qty)}`,
      id: `fill-${fill.id}`,
    });
  }
  return markers.sort((a, b) => a.time - b.time);
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
