export const INTERVAL_MS = { '1s': 1_000, '1m': 60_000 };

/**
 * The candles of one symbol at one interval, keyed by bar start (Unix ms). Closed bars (from REST or
 * the stream) are authoritative; between them the forming candle is built from trades, so the chart
 * moves with every trade instead of once per bar close (bars close `TICKFLOW_BAR_LATENESS_MS` late).
 * Pure: no DOM, no chart; `test/web/candles.test.ts` runs it under Node.
 */
export class CandleBook {
  /** @type {Map<number, {start:number, open:number, high:number, low:number, close:number, volume:number, vwap:number|null, closed:boolean, pv:number, pricedVolume:number}>} */
  #candles = new Map();
  #sorted = null;

  constructor(interval, { maxCandles = 2_000 } = {}) {
    this.interval = interval;
    this.width = INTERVAL_MS[interval];
    this.maxCandles = maxCandles;
  }

  get size() {
    return this.#candles.size;
  }

  /** Candles oldest first. */
  candles() {
    this.#sorted ??= [...this.#candles.values()].sort((a, b) => a.start - b.start);
    return this.#sorted;
  }

  last() {
    const all = this.candles();
    return all[all.length - 1] ?? null;
  }

  get(start) {
    return this.#candles.get(start) ?? null;
  }

  has(start) {
    return this.#candles.has(start);
  }

  /** The start of the candle that holds time `ms`. */
  bucket(ms) {
    return Math.floor(ms / this.width) * this.width;
  }

  /** A closed bar (REST or stream, same shape): replaces whatever the trades had built. Returns its start, or null if ignored. */
  applyBar(bar) {
    if (bar.interval !== this.interval || !Number.isFinite(bar.start)) return null;
    this.#put({ start: bar.start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, vwap: bar.vwap ?? null, closed: true, pv: 0, pricedVolume: 0 });
    return bar.start;
  }

  /** A trade: extends the forming candle of its bucket. A bucket whose bar has closed is left alone. Returns the start, or null. */
  applyTrade(trade) {
    if (!Number.isFinite(trade.price) || !Number.isFinite(trade.tsEvent)) return null;
    const start = this.bucket(trade.tsEvent);
    const existing = this.#candles.get(start);
    if (existing?.closed) return null;
    const oldest = this.candles()[0];
    // Far older than anything shown: a straggler, not worth a candle (the bar will come over REST).
    if (!existing && oldest && start < oldest.start) return null;
    const size = Number.isFinite(trade.size) && trade.size > 0 ? trade.size : 0;
    const candle = existing
      ? { ...existing, high: Math.max(existing.high, trade.price), low: Math.min(existing.low, trade.price), close: trade.price, volume: existing.volume + size }
      : { start, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: size, vwap: null, closed: false, pv: 0, pricedVolume: 0 };
    candle.pv += trade.price * size;
    candle.pricedVolume += size;
    candle.vwap = candle.pricedVolume > 0 ? candle.pv / candle.pricedVolume : null;
    this.#put(candle);
    return start;
  }

  #put(candle) {
    const isNew = !this.#candles.has(candle.start);
    this.#candles.set(candle.start, candle);
    if (isNew) {
      this.#sorted = null;
      if (this.#candles.size > this.maxCandles) this.#candles.delete(this.candles()[0].start);
    } else if (this.#sorted) {
      const index = this.#sorted.findLastIndex((existing) => existing.start === candle.start);
      this.#sorted[index] = candle;
    }
    this.#sorted = isNew ? null : this.#sorted;
  }
}
