import type { Bar, BarInterval } from '../../model/bar.ts';

export interface OpenBarSnapshot {
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly priced: boolean;
  readonly volume: number;
  readonly count: number;
  /** Σ price×size and Σ size over the price-setting trades. */
  readonly notional: number;
  readonly pricedVolume: number;
  /** The open, or the close, is an auction's print, which later prints do not replace. */
  readonly auctionOpen: boolean;
  readonly auctionClose: boolean;
}

/** A bar still collecting trades. */
export class OpenBar {
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  /** Whether a trade eligible to set prices arrived; a bar without one is never published. */
  priced = false;
  volume = 0;
  count = 0;
  /** Σ price×size and Σ size over the price-setting trades, for the VWAP. */
  #notional = 0;
  #pricedVolume = 0;
  #auctionOpen = false;
  #auctionClose = false;

  constructor(symbol: string, interval: BarInterval, start: number, end: number) {
    this.symbol = symbol;
    this.interval = interval;
    this.start = start;
    this.end = end;
  }

  addPriced(price: number, size: number): void {
    if (!this.priced) {
      this.open = this.high = this.low = price;
      this.priced = true;
    } else if (price > this.high) this.high = price;
    else if (price < this.low) this.low = price;
    if (!this.#auctionClose) this.close = price;
    this.volume += size;
    this.count++;
    this.#notional += price * size;
    this.#pricedVolume += size;
  }

  /** The opening auction's print: the bar's open whatever arrived before it. */
  addOpeningAuction(price: number, size: number): void {
    this.addPriced(price, size);
    this.open = price;
    this.#auctionOpen = true;
  }

  /** The closing auction's print: the bar's close whatever arrives after it. */
  addClosingAuction(price: number, size: number): void {
    this.addPriced(price, size);
    this.close = price;
    this.#auctionClose = true;
  }

  addVolume(size: number): void {
    this.volume += size;
    this.count++;
  }

  /** Volume and trade count of volume-only prints from a period that has no bar of its own. */
  addCarried(volume: number, count: number): void {
    this.volume += volume;
    this.count += count;
  }

  /** Everything the bar has collected, to continue it after a restart. */
  snapshot(): OpenBarSnapshot {
    const { interval, start, end, open, high, low, close, priced, volume, count } = this;
    return {
      interval, start, end, open, high, low, close, priced, volume, count,
      notional: this.#notional, pricedVolume: this.#pricedVolume, auctionOpen: this.#auctionOpen, auctionClose: this.#auctionClose,
    };
  }

  static restore(symbol: string, snapshot: OpenBarSnapshot): OpenBar {
    const bar = new OpenBar(symbol, snapshot.interval, snapshot.start, snapshot.end);
    bar.open = snapshot.open;
    bar.high = snapshot.high;
    bar.low = snapshot.low;
    bar.close = snapshot.close;
    bar.priced = snapshot.priced;
    bar.volume = snapshot.volume;
    bar.count = snapshot.count;
    bar.#notional = snapshot.notional;
    bar.#pricedVolume = snapshot.pricedVolume;
    bar.#auctionOpen = snapshot.auctionOpen;
    bar.#auctionClose = snapshot.auctionClose;
    return bar;
  }

  /** The finished bar; only for a priced bar. */
  toBar(tsRecv: number): Bar {
    const vwap = this.#pricedVolume > 0 ? clamp(this.#notional / this.#pricedVolume, this.low, this.high) : null;
    return {
      type: 'bar',
      symbol: this.symbol,
      interval: this.interval,
      start: this.start,
      end: this.end,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      vwap,
      count: this.count,
      tsEvent: this.end,
      tsRecv,
    };
  }
}

/** The VWAP lies within [low, high]; clamping drops last-bit rounding outside it. */
function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
