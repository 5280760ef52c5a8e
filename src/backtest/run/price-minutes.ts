import type { PriceBar } from '../backtest-result.ts';

const MINUTE = 60_000;

type Building = { -readonly [K in keyof PriceBar]: PriceBar[K] };

/** Minute OHLC per symbol from trades and bars, for the report's price charts (coarser bars are kept as they are). */
export class PriceMinutes {
  readonly #bars = new Map<string, Building[]>();

  trade(symbol: string, time: number, price: number, size: number): void {
    const start = time - (time % MINUTE);
    const list = this.#list(symbol);
    const last = list.at(-1);
    if (last && last.time === start) {
      if (price > last.high) last.high = price;
      if (price < last.low) last.low = price;
      last.close = price;
      last.volume += size;
    } else if (!last || last.time < start) {
      list.push({ time: start, open: price, high: price, low: price, close: price, volume: size });
    }
  }

  bar(symbol: string, bar: PriceBar): void {
    const list = this.#list(symbol);
    const last = list.at(-1);
    if (!last || last.time < bar.time) list.push({ ...bar });
  }

  /** The symbols asked for, in name order. */
  of(symbols: Iterable<string>): Record<string, readonly PriceBar[]> {
    const result: Record<string, readonly PriceBar[]> = {};
    for (const symbol of [...new Set(symbols)].sort()) result[symbol] = this.#bars.get(symbol) ?? [];
    return result;
  }

  #list(symbol: string): Building[] {
    let list = this.#bars.get(symbol);
    if (!list) this.#bars.set(symbol, (list = []));
    return list;
  }
}
