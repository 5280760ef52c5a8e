import type { Bar, BarInterval } from '../../model/bar.ts';
import { BarBuilder } from '../../processors/bars/bar-builder.ts';
import { leanEquityEligibility } from '../../sources/replay/lean/sale-conditions.ts';
import { leanEquityPrints } from '../../trading/fills/lean-prints.ts';
import { toPrint, type Print } from '../../trading/fills/print.ts';
import { SessionClock } from '../../strategy/session-clock.ts';
import type { ClockEvent } from '../../strategy/strategy-api.ts';
import type { MarketEvent } from '../data/market-event.ts';
import { PriceMinutes } from './price-minutes.ts';

/** What an event means for every run alike, worked out once. */
export interface MarketStep {
  /** Session opens and closes due by the event, before it. */
  readonly ticks: readonly ClockEvent[];
  /** Bars built from ticks that the event's time closed, before it. */
  readonly closed: readonly Bar[];
  /** The trade as the fill model reads it, for every run's engine; `null` for other events. */
  readonly print: Print | null;
}

/**
 * The part of a backtest that depends on the data alone: the session clock, bars built from ticks,
 * each trade classified for the fill model, the minute prices the report charts and the benchmark's
 * first price. The runs of a sweep share one, so a worker does this work once per event however many
 * runs it holds; the runs keep only what depends on their orders.
 */
export class SharedMarket {
  readonly priceMinutes = new PriceMinutes();
  readonly #benchmark: string | null;
  readonly #clock = new SessionClock();
  #bars: BarBuilder | null = null;
  #benchmarkFirst: number | null = null;
  #current: MarketEvent | null = null;
  #step: MarketStep = { ticks: [], closed: [], print: null };
  #flushed: readonly Bar[] | null = null;

  constructor(benchmark: string | null) {
    this.#benchmark = benchmark;
  }

  /** From the first event on, ticks are built into bars of these intervals (when a strategy takes bars). */
  buildBars(intervals: readonly BarInterval[]): void {
    this.#bars ??= new BarBuilder({ intervals, eligibility: leanEquityEligibility });
  }

  /** The benchmark's first price (a bar's open), or `null` before it printed. */
  get benchmarkFirst(): number | null {
    return this.#benchmarkFirst;
  }

  /** The step of `event`: worked out by the first run that asks, the same object for the others. */
  step(event: MarketEvent): MarketStep {
    if (event === this.#current) return this.#step;
    this.#current = event;
    const time = event.tsEvent;
    this.#clock.follow(event.symbol, time);
    const ticks = this.#clock.passTo(time);
    let closed: readonly Bar[] = NONE;
    let print: Print | null = null;
    if (event.type === 'trade') {
      if (this.#bars) closed = this.#bars.advanceTo(time);
      print = toPrint(event, null, leanEquityPrints);
      this.#bars?.add(event, time);
      this.priceMinutes.trade(event.symbol, time, event.price, event.size);
      this.#firstPrice(event.symbol, event.price);
    } else if (event.type === 'bar') {
      this.priceMinutes.bar(event.symbol, { time: event.start, open: event.open, high: event.high, low: event.low, close: event.close, volume: event.volume });
      this.#firstPrice(event.symbol, event.open);
    }
    return (this.#step = { ticks, closed, print });
  }

  /** The bars still open at the end; once, whoever asks first. */
  flush(lastTime: number): readonly Bar[] {
    if (this.#flushed) return this.#flushed;
    return (this.#flushed = this.#bars ? this.#bars.flush(lastTime) : NONE);
  }

  #firstPrice(symbol: string, price: number): void {
    if (symbol === this.#benchmark && this.#benchmarkFirst === null) this.#benchmarkFirst = price;
  }
}

const NONE: readonly never[] = [];
