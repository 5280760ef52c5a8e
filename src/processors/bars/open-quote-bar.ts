import type { BarInterval } from '../../model/bar.ts';
import type { Quote } from '../../model/quote.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';

/** Everything an open quote bar has collected, to continue it after a restart. */
export type OpenQuoteBarSnapshot = Pick<QuoteBar, 'interval' | 'start' | 'end' | 'bid' | 'ask' | 'lastBidSize' | 'lastAskSize' | 'count'>;

/**
 * A quote bar still collecting quotes. Lean's rule (`QuoteBar.Update` as `TickQuoteBarConsolidator`
 * calls it): each side's OHLC over the period's quotes in arrival order, and the last size > 0 seen on
 * each side. The open is the period's first quote, not the previous bar's close (some later Lean
 * versions carry the close over; Lean's EUR/USD reference minutes match the first-quote open, see
 * test/processors/bars/lean-quote-reference.test.ts).
 */
export class OpenQuoteBar {
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
  #bid: Side = { open: 0, high: 0, low: 0, close: 0 };
  #ask: Side = { open: 0, high: 0, low: 0, close: 0 };
  #lastBidSize: number | null = null;
  #lastAskSize: number | null = null;
  /** Quotes taken in; the bar is opened for its first one, so it is ≥ 1 whenever it can be closed. */
  #count = 0;

  constructor(symbol: string, interval: BarInterval, start: number, end: number) {
    this.symbol = symbol;
    this.interval = interval;
    this.start = start;
    this.end = end;
  }

  static restore(symbol: string, snapshot: OpenQuoteBarSnapshot): OpenQuoteBar {
    const bar = new OpenQuoteBar(symbol, snapshot.interval, snapshot.start, snapshot.end);
    bar.#bid = { ...snapshot.bid };
    bar.#ask = { ...snapshot.ask };
    bar.#lastBidSize = snapshot.lastBidSize;
    bar.#lastAskSize = snapshot.lastAskSize;
    bar.#count = snapshot.count;
    return bar;
  }

  add(quote: Quote): void {
    if (this.#count === 0) {
      this.#bid = { open: quote.bid, high: quote.bid, low: quote.bid, close: quote.bid };
      this.#ask = { open: quote.ask, high: quote.ask, low: quote.ask, close: quote.ask };
    } else {
      update(this.#bid, quote.bid);
      update(this.#ask, quote.ask);
    }
    this.#lastBidSize = positiveOrNull(quote.bidSize) ?? this.#lastBidSize;
    this.#lastAskSize = positiveOrNull(quote.askSize) ?? this.#lastAskSize;
    this.#count++;
  }

  snapshot(): OpenQuoteBarSnapshot {
    const { interval, start, end } = this;
    return { interval, start, end, bid: { ...this.#bid }, ask: { ...this.#ask }, lastBidSize: this.#lastBidSize, lastAskSize: this.#lastAskSize, count: this.#count };
  }

  toQuoteBar(tsRecv: number): QuoteBar {
    return {
      type: 'quote-bar',
      symbol: this.symbol,
      interval: this.interval,
      start: this.start,
      end: this.end,
      bid: { ...this.#bid },
      ask: { ...this.#ask },
      lastBidSize: this.#lastBidSize,
      lastAskSize: this.#lastAskSize,
      count: this.#count,
      tsEvent: this.end,
      tsRecv,
    };
  }
}

interface Side {
  open: number;
  high: number;
  low: number;
  close: number;
}

function update(side: Side, price: number): void {
  if (price > side.high) side.high = price;
  else if (price < side.low) side.low = price;
  side.close = price;
}

/** Lean keeps the last size > 0: a quote without a size (0 or none) leaves the last one standing. */
function positiveOrNull(size: number | null): number | null {
  return size !== null && size > 0 ? size : null;
}
